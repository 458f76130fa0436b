import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/ui/sandbox/sandbox.ts';
import { shareableScenario } from '../../../src/ui/sandbox/share-link.ts';
import { ACTIVATE_AND_CU, testSandbox } from './sandbox-helpers.ts';

let sandbox: Sandbox | undefined;
afterEach(() => sandbox?.dispose());

async function keyList(s: Sandbox): Promise<string> {
  return (await s.run('key list --verbose', 'alice')).output;
}

describe('Sandbox', () => {
  it('records every line with its session, and replaying its scenario (seeded) gives the same keys', async () => {
    sandbox = await testSandbox();
    for (const step of ACTIVATE_AND_CU) expect((await sandbox.run(step.line, step.session)).envelope?.error_code).toBe(0);
    expect(sandbox.steps).toEqual(ACTIVATE_AND_CU);
    expect(sandbox.whoIs('alice')).toEqual({ username: 'alice', role: 'crypto-user' });
    const before = await keyList(sandbox);
    const scenario = sandbox.scenario();
    await sandbox.reset();
    expect(sandbox.steps).toEqual([]);
    expect(sandbox.whoIs('alice')).toBeUndefined();
    const runs = await sandbox.load(scenario);
    expect(runs.map((r) => r.envelope?.error_code)).toEqual([0, 0, 0, 0, 0, 0]); // the five steps and the first key list
    expect(await keyList(sandbox)).toBe(before);
    expect(before).toContain('"label": "k1"');
  });

  it('asks for redacted passwords before replaying, and replays once they are given', async () => {
    sandbox = await testSandbox();
    for (const step of ACTIVATE_AND_CU) await sandbox.run(step.line, step.session);
    const shared = shareableScenario(sandbox.scenario(), false);
    expect(JSON.stringify(shared)).not.toMatch(/admin-pass-1|alice-pass-1/);
    await expect(sandbox.load(shared)).rejects.toThrow('No value was given for password 1 ({{password-1}})');
    expect(sandbox.steps).toHaveLength(5); // untouched by the refused load
    const runs = await sandbox.load(shared, { 1: 'admin-pass-1', 2: 'alice-pass-1' });
    expect(runs.every((r) => r.envelope?.error_code === 0)).toBe(true);
  });

  it('runs sandbox lines: stop and start an HSM, sync status, add an HSM; with usage errors', async () => {
    sandbox = await testSandbox({ hsms: 2, model: 'hsm2m.medium' });
    for (const step of ACTIVATE_AND_CU.slice(0, 4)) await sandbox.run(step.line, step.session);
    expect(JSON.parse((await sandbox.run('sandbox stop-hsm 1')).output)).toEqual({ error_code: 0, data: { message: 'HSM 1 stopped' } });
    const key = JSON.parse((await sandbox.run('key generate-symmetric aes --label k2 --key-length-bytes 16', 'alice')).output);
    expect(key.data.key['key-info']['cluster-coverage']).toBe('partial');
    expect((await sandbox.run('sandbox start-hsm 1')).envelope?.error_code).toBe(0);
    const sync = JSON.parse((await sandbox.run('sandbox sync-status')).output);
    expect(sync.data.inSync).toBe(true);
    expect((await sandbox.run('sandbox add-hsm')).envelope?.error_code).toBe(0);
    expect(sandbox.cluster.size).toBe(3);
    expect(JSON.parse((await sandbox.run('sandbox stop-hsm')).output)).toEqual({ error_code: 1, data: 'Usage: sandbox stop-hsm N (an HSM number, e.g. 1)' });
    expect((await sandbox.run('sandbox explode')).output).toContain("Unknown sandbox line 'explode'");
    expect((await sandbox.run('sandbox')).output).toContain('sandbox stop-hsm N');
  });
});
