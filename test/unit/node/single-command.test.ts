import { describe, expect, it } from 'vitest';
import { credentialsFromEnv, runSingleCommand } from '../../../src/node/single-command.ts';
import type { ToolContext } from '../../../src/node/tools.ts';
import { fakeTool, NO_CLUSTER } from './fake-tool.ts';

const io: ToolContext['io'] = {
  prompt: async () => 'typed',
  readFile: async () => new Uint8Array(),
  writeFile: async () => undefined,
};
const ctx: ToolContext = { ...NO_CLUSTER, io };

describe('credentialsFromEnv', () => {
  it('is none when neither variable is set (or both are empty)', () => {
    expect(credentialsFromEnv({})).toEqual({ kind: 'none' });
    expect(credentialsFromEnv({ CLOUDHSM_ROLE: '', CLOUDHSM_PIN: '' })).toEqual({ kind: 'none' });
  });

  it('splits the PIN at the first colon, so passwords may contain colons', () => {
    expect(credentialsFromEnv({ CLOUDHSM_ROLE: 'crypto-user', CLOUDHSM_PIN: 'cu1:pa:ss' })).toEqual({
      kind: 'login',
      role: 'crypto-user',
      username: 'cu1',
      password: 'pa:ss',
    });
  });

  it('says which variable is missing or malformed', () => {
    expect(credentialsFromEnv({ CLOUDHSM_PIN: 'a:b' })).toMatchObject({ kind: 'invalid', message: expect.stringContaining('CLOUDHSM_ROLE is not') });
    expect(credentialsFromEnv({ CLOUDHSM_ROLE: 'admin' })).toMatchObject({ kind: 'invalid', message: expect.stringContaining('CLOUDHSM_PIN is not') });
    for (const pin of ['nocolon', ':pw', 'user:']) {
      expect(credentialsFromEnv({ CLOUDHSM_ROLE: 'admin', CLOUDHSM_PIN: pin })).toMatchObject({ kind: 'invalid', message: expect.stringContaining('<username>:<password>') });
    }
  });
});

describe('runSingleCommand', () => {
  it('runs the words as one line, quoting words with spaces, without logging in when no credentials are set', async () => {
    const tool = fakeTool();
    const result = await runSingleCommand(tool, ctx, ['key', 'list', '--filter', 'attr.label=my key'], {});
    expect(tool.lines).toEqual(["key list --filter 'attr.label=my key'"]);
    expect(result.exitCode).toBe(0);
  });

  it('logs in first from the environment, then runs the command', async () => {
    const tool = fakeTool();
    await runSingleCommand(tool, ctx, ['key', 'list'], { CLOUDHSM_ROLE: 'crypto-user', CLOUDHSM_PIN: 'cu1:secret-pw' });
    expect(tool.lines).toEqual(['login cu1 crypto-user secret-pw', 'key list']);
  });

  it('exits 1 when the command fails, and 0 for help (no envelope)', async () => {
    expect((await runSingleCommand(fakeTool(), ctx, ['fail'], {})).exitCode).toBe(1);
    expect(await runSingleCommand(fakeTool(), ctx, ['help'], {})).toEqual({ output: 'plain help text', exitCode: 0 });
  });

  it('stops with exit 1 and the tool-formatted message on bad credentials, running nothing', async () => {
    const tool = fakeTool();
    const result = await runSingleCommand(tool, ctx, ['key', 'list'], { CLOUDHSM_ROLE: 'bad', CLOUDHSM_PIN: 'a:b' });
    expect(result).toEqual({ output: '{"error_code":1,"data":"bad role"}', exitCode: 1 });
    expect(tool.lines).toEqual([]);
    const missing = await runSingleCommand(tool, ctx, ['key', 'list'], { CLOUDHSM_ROLE: 'admin' });
    expect(missing.exitCode).toBe(1);
    expect(JSON.parse(missing.output).data).toContain('CLOUDHSM_PIN');
  });

  it('does not run the command when the login fails, and prints the login answer', async () => {
    const tool = fakeTool();
    tool.loginLine = () => ({ line: 'fail' });
    const result = await runSingleCommand(tool, ctx, ['key', 'list'], { CLOUDHSM_ROLE: 'admin', CLOUDHSM_PIN: 'a:b' });
    expect(result).toEqual({ output: '{"error_code":1,"data":"failed"}', exitCode: 1 });
    expect(tool.lines).toEqual(['fail']);
  });
});
