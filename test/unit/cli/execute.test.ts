/**
 * cloudhsm-cli `execute` over a recording session: output formatting, refusal stripping, parse errors,
 * password prompts and confirmation, file-writing commands, help and blank lines.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { fail, ok } from '../../../src/hsm/envelope.ts';
import { execute, type ExecutionContext } from '../../../src/cli/cloudhsm-cli/execute.ts';
import { RecordingSession, scriptedIo } from './helpers.ts';
import fc from 'fast-check';

function context(session = new RecordingSession(), answers: string[] = []): ExecutionContext & { session: RecordingSession; io: ReturnType<typeof scriptedIo> } {
  return { session, io: scriptedIo(answers) };
}

describe('execute', () => {
  it('prints the envelope pretty-printed with two spaces', async () => {
    const ctx = context(new RecordingSession('c', () => ok('Logout successful')));
    const result = await execute('logout', ctx);
    expect(result.output).toBe('{\n  "error_code": 0,\n  "data": "Logout successful"\n}');
    expect(ctx.session.requests).toEqual([{ op: 'session.logout', args: {} }]);
  });

  it('strips reason and allowedRoles from refusals but keeps them on the envelope', async () => {
    const ctx = context(new RecordingSession('c', () => fail('permission-denied', 'Permission denied: only a crypto user may sign', ['crypto-user'])));
    const result = await execute('crypto sign ecdsa --key-filter attr.label=k --hash-function sha256 --data YWJj', ctx);
    expect(JSON.parse(result.output)).toEqual({ error_code: 1, data: 'Permission denied: only a crypto user may sign' });
    expect(result.envelope).toMatchObject({ reason: 'permission-denied', allowedRoles: ['crypto-user'] });
  });

  it('answers parse errors as error_code 1 without calling the HSM', async () => {
    const ctx = context();
    const result = await execute('key lsit', ctx);
    expect(JSON.parse(result.output)).toEqual({ error_code: 1, data: "Unknown command 'key lsit'. Did you mean 'key list'? Commands under 'key': generate-symmetric, generate-asymmetric-pair, import, generate-file, list, delete, share, unshare, set-attribute, replicate, wrap, unwrap." });
    expect(ctx.session.requests).toEqual([]);
  });

  it('prompts for a password left off, with confirmation where a password is set', async () => {
    const ctx = context(new RecordingSession('c', (_op, args) => ok({ username: (args as { username: string }).username, role: 'crypto-user' })), ['S3cretPass', 'S3cretPass']);
    const result = await execute('user create --username Alice --role crypto-user', ctx);
    expect(ctx.io.prompts).toEqual(['Enter password:', 'Confirm password:']);
    expect(ctx.session.requests[0]).toEqual({ op: 'user.create', args: { username: 'Alice', role: 'crypto-user', password: 'S3cretPass' } });
    expect(result.envelope?.error_code).toBe(0);
  });

  it('asks login for the password once', async () => {
    const ctx = context(undefined, ['pw']);
    await execute('login --username cu1 --role crypto-user', ctx);
    expect(ctx.io.prompts).toEqual(['Enter password:']);
  });

  it('refuses mismatched confirmation without calling the HSM', async () => {
    const ctx = context(undefined, ['one', 'two']);
    const result = await execute('cluster activate', ctx);
    expect(JSON.parse(result.output)).toEqual({ error_code: 1, data: 'Passwords do not match' });
    expect(ctx.session.requests).toEqual([]);
  });

  it('key generate-file writes the exported PEM and answers the documented message', async () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n';
    const ctx = context(new RecordingSession('c', () => ok({ pem })));
    const result = await execute('key generate-file --encoding pem --path out/pub.pem --filter attr.label=ec-public', ctx);
    expect(JSON.parse(result.output)).toEqual({ error_code: 0, data: { message: 'Successfully generated key file' } });
    expect(ctx.io.files.readText('out/pub.pem')).toBe(pem);
    expect(ctx.session.requests).toEqual([{ op: 'key.export-pem', args: { filter: ['attr.label=ec-public'] } }]);
  });

  it('key wrap --path also writes the wrapped bytes', async () => {
    const ctx = context(new RecordingSession('c', () => ok({ payload_key_reference: '0x1', wrapping_key_reference: '0x2', wrapped_key_data: 'AAEC' })));
    await execute('key wrap aes-no-pad --payload-filter key-reference=0x1 --wrapping-filter key-reference=0x2 --path w.bin', ctx);
    expect(ctx.io.files.read('w.bin')).toEqual(new Uint8Array([0, 1, 2]));
  });

  it('reports an unreadable --data-path as an error answer', async () => {
    const ctx = context();
    const result = await execute('crypto digest --hash-function sha256 --data-path nope.bin', ctx);
    expect(JSON.parse(result.output)).toEqual({ error_code: 1, data: 'Cannot read file nope.bin: no such file' });
  });

  it('prints help as plain text and nothing for blank and comment lines', async () => {
    const ctx = context();
    expect((await execute('help', ctx)).output).toMatch(/^cloudhsm-cli commands/);
    expect((await execute('key list --help', ctx)).output).toContain('Usage: key list [OPTIONS]');
    expect(await execute('   ', ctx)).toEqual({ output: '' });
    expect(await execute('# a comment', ctx)).toEqual({ output: '' });
  });

  it('quit exits', async () => {
    expect(await execute('quit', context())).toEqual({ output: '', exit: true });
  });

  it('routes --cluster-id to another session, and refuses unknown clusters', async () => {
    const other = new RecordingSession('cluster-2');
    const ctx = { ...context(), sessionFor: (id: string) => (id === 'cluster-2' ? other : undefined) };
    await execute('user list --cluster-id cluster-2', ctx);
    expect(other.requests).toEqual([{ op: 'user.list', args: {} }]);
    const result = await execute('user list --cluster-id cluster-9', ctx);
    expect(JSON.parse(result.output)).toEqual({ error_code: 1, data: "Cluster 'cluster-9' is not configured" });
  });

  it('sends replicate commands to the replication port', async () => {
    const calls: unknown[] = [];
    const ctx = {
      ...context(),
      replication: {
        replicateKey: async (...args: unknown[]) => (calls.push(args), ok({ message: 'Successfully replicated key' })),
        replicateUser: async (...args: unknown[]) => (calls.push(args), ok({ message: 'Successfully replicated user' })),
      },
    };
    await execute('key replicate --filter attr.label=k --source-cluster-id a --destination-cluster-id b', ctx);
    await execute('user replicate --username u --role admin --source-cluster-id a --destination-cluster-id b', ctx);
    expect(calls).toEqual([[['attr.label=k'], 'a', 'b'], ['u', 'admin', 'a', 'b']]);
    const without = await execute('key replicate --filter attr.label=k --source-cluster-id a --destination-cluster-id b', context());
    expect(JSON.parse(without.output)).toEqual({ error_code: 1, data: "'key replicate' needs two configured clusters" });
  });

  it('always answers an envelope or text for random lines (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('key', 'list', 'crypto', 'sign', 'ecdsa', '--filter', '--data', 'YWJj', '"', '--help', 'x=y', 'login', '--password'), { maxLength: 8 }), async (tokens) => {
        const result = await execute(tokens.join(' '), context(undefined, ['p', 'p']));
        if (result.envelope) expect(JSON.parse(result.output)).toEqual({ error_code: result.envelope.error_code, data: result.envelope.data });
        else expect(typeof result.output).toBe('string');
      }),
      { numRuns: 300 },
    );
  });
});
