import { afterEach, describe, expect, it } from 'vitest';
import { parseTrustList } from '../../../src/ui/sandbox/embed-protocol.ts';
import { EmbedServer } from '../../../src/ui/sandbox/embed-server.ts';
import type { Sandbox } from '../../../src/ui/sandbox/sandbox.ts';
import { encodeScenario } from '../../../src/ui/sandbox/scenario.ts';
import { ACTIVATE_AND_CU, testSandbox } from './sandbox-helpers.ts';

const DOCS = 'https://docs.example';
let sandbox: Sandbox | undefined;
afterEach(() => sandbox?.dispose());

function msg(body: Record<string, unknown>): Record<string, unknown> {
  return { type: 'hsm-playground', version: 1, id: 1, ...body };
}

describe('embed API (format 1)', () => {
  it('answers a trusted origin: run gives the printed JSON and the envelope', async () => {
    sandbox = await testSandbox();
    const server = new EmbedServer(sandbox, [DOCS]);
    const answer = await server.handle(msg({ id: 'a1', action: 'run', command: 'aws-cloudhsm > cluster activate --password pw-1234567' }), DOCS);
    expect(answer).toEqual({
      type: 'hsm-playground',
      version: 1,
      id: 'a1',
      ok: true,
      result: { session: 'default', output: '{\n  "error_code": 0,\n  "data": "Cluster activation successful"\n}', envelope: { error_code: 0, data: 'Cluster activation successful' } },
    });
    const refused = await server.handle(msg({ action: 'run', command: 'user create --username x --role crypto-user --password y1234567' }), DOCS);
    expect((refused?.result as { envelope: { error_code: number } }).envelope.error_code).toBe(1);
  });

  it('ignores untrusted origins and foreign messages without answering, and counts the refusals', async () => {
    sandbox = await testSandbox();
    const server = new EmbedServer(sandbox, [DOCS]);
    expect(await server.handle(msg({ action: 'run', command: 'cluster activate --password pw-1234567' }), 'https://evil.example')).toBeUndefined();
    expect(await server.handle(msg({ action: 'ping' }), 'null')).toBeUndefined();
    expect(await server.handle({ hello: 'world' }, DOCS)).toBeUndefined();
    expect(await server.handle(msg({ ok: true }), DOCS)).toBeUndefined(); // our own answers echoed back
    expect(server.ignored).toBe(2);
    expect(sandbox.steps).toEqual([]); // the untrusted run changed nothing
  });

  it('load-scenario (encoded or object) replays; get-scenario redacts passwords unless asked; reset clears', async () => {
    sandbox = await testSandbox();
    const server = new EmbedServer(sandbox, [DOCS]);
    const encoded = await encodeScenario({ seed: 's', hsms: 2, model: 'hsm2m.medium', steps: ACTIVATE_AND_CU });
    expect((await server.handle(msg({ action: 'load-scenario', encoded }), DOCS))?.result).toEqual({ steps: 5, failed: 0, settings: { hsms: 2, model: 'hsm2m.medium', seed: 's' } });
    const shared = (await server.handle(msg({ action: 'get-scenario' }), DOCS))?.result as { steps: { line: string }[] };
    expect(shared.steps[0]!.line).toBe('cluster activate --password {{password-1}}');
    const full = (await server.handle(msg({ action: 'get-scenario', includePasswords: true }), DOCS))?.result as { steps: { line: string }[] };
    expect(full.steps[0]!.line).toBe('cluster activate --password admin-pass-1');
    const missing = await server.handle(msg({ action: 'load-scenario', scenario: shared }), DOCS);
    expect(missing).toMatchObject({ ok: false, error: 'No value was given for password 1 ({{password-1}})' });
    expect(await server.handle(msg({ action: 'load-scenario', scenario: shared, passwords: { '1': 'admin-pass-1', '2': 'alice-pass-1' } }), DOCS)).toMatchObject({ ok: true, result: { failed: 0 } });
    expect(await server.handle(msg({ action: 'reset', settings: { hsms: 3 } }), DOCS)).toMatchObject({ ok: true, result: { settings: { hsms: 3, model: 'hsm2m.medium' } } });
    expect(sandbox.cluster.size).toBe(3);
    expect(sandbox.steps).toEqual([]);
  });

  it('answers malformed requests with ok: false and a message naming the problem', async () => {
    sandbox = await testSandbox();
    const server = new EmbedServer(sandbox, [DOCS]);
    const errorOf = async (body: Record<string, unknown>) => (await server.handle(msg(body), DOCS))?.error;
    expect(await errorOf({ id: undefined, action: 'ping' })).toBe('Every request needs an id (a string or a number) to match its answer');
    expect(await errorOf({ version: 2, action: 'ping' })).toBe('API version 2 is not supported: this frame speaks version 1');
    expect(await errorOf({ action: 'explode' })).toMatch(/^Unknown action "explode" \(actions are ping, run, reset, load-scenario, get-scenario\)/);
    expect(await errorOf({ action: 'run', command: 'a\nb' })).toMatch(/run needs 'command'/);
    expect(await errorOf({ action: 'reset', settings: { hsms: 40 } })).toBe('reset: hsms must be a whole number from 1 to 28, got 40');
    expect(await errorOf({ action: 'load-scenario' })).toMatch(/exactly one of 'scenario'/);
    expect(await errorOf({ action: 'load-scenario', encoded: '9.x' })).toBe('Scenario format 9 is not supported (this page reads format 1)');
  });
});

describe('trust list', () => {
  it('accepts http(s) origins and refuses wildcards, null, paths and other schemes with reasons', () => {
    expect(parseTrustList('https://docs.example, http://localhost:8080 https://docs.example')).toEqual({ origins: ['https://docs.example', 'http://localhost:8080'], problems: [] });
    const bad = parseTrustList('* null https://a.example/path file:///x nonsense');
    expect(bad.origins).toEqual([]);
    expect(bad.problems).toEqual([
      "'*' cannot be trusted: name each host page's origin",
      "'null' cannot be trusted: name each host page's origin",
      "'https://a.example/path' is not an http(s) origin (scheme, host and port only, e.g. https://docs.example)",
      "'file:///x' is not an http(s) origin (scheme, host and port only, e.g. https://docs.example)",
      "'nonsense' is not an origin (expected e.g. https://docs.example)",
    ]);
  });
});
