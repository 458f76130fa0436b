import { afterEach, describe, expect, it } from 'vitest';
import { execute } from '../../../src/cli/cloudhsm-cli/execute.ts';
import { ioOverFiles, VirtualFiles } from '../../../src/cli/files.ts';
import { inProcessSpawner } from '../../../src/cluster/in-process-spawn.ts';
import { Cluster } from '../../../src/cluster/cluster.ts';
import { TEST_PASSWORD_COST } from '../../../src/crypto/password.ts';
import { MemoryStorage } from '../../../src/store/memory.ts';
import { withPromptedFlags, type PromptAnswer } from '../../../src/ui/prompted-flags.ts';
import { ScriptRunner } from '../../../src/ui/sandbox/script-runner.ts';

const password = (value: string): PromptAnswer => ({ text: 'Enter password:', secret: true, value });
const confirmation = (value: string): PromptAnswer => ({ text: 'Confirm password:', secret: true, value });

describe('withPromptedFlags', () => {
  it('appends the password answered at the prompt to a line that left it off', () => {
    expect(withPromptedFlags('login --username admin --role admin', [password('admin-pass-1')])).toBe('login --username admin --role admin --password admin-pass-1');
  });

  it('takes the password once when the CLI asked for it and its confirmation', () => {
    expect(withPromptedFlags('cluster activate', [password('p1-secret'), confirmation('p1-secret')])).toBe('cluster activate --password p1-secret');
  });

  it('adds nothing when the confirmation differed (the command failed before running)', () => {
    expect(withPromptedFlags('cluster activate', [password('one'), confirmation('two')])).toBe('cluster activate');
  });

  it('adds nothing when the prompt was cancelled, or the line already had the flag', () => {
    expect(withPromptedFlags('login --username a --role admin', [])).toBe('login --username a --role admin');
    expect(withPromptedFlags('login --username a --role admin --password x', [password('y')])).toBe('login --username a --role admin --password x');
  });

  it('quotes a value the tokenizer would otherwise split', () => {
    expect(withPromptedFlags('login --username a --role admin', [password("it's a pass")])).toBe(`login --username a --role admin --password 'it'\\''s a pass'`);
  });

  it('ignores prompts that belong to no flag (non-commands and other prompts)', () => {
    expect(withPromptedFlags('not-a-command', [password('x')])).toBe('not-a-command');
    expect(withPromptedFlags('login --username a --role admin', [{ text: 'Path to the signed token:', secret: false, value: 'x' }])).toBe('login --username a --role admin');
  });
});

describe('withPromptedFlags against the real CLI', () => {
  let cluster: Cluster | undefined;
  afterEach(() => cluster?.dispose());

  it('turns prompted commands into lines that replay unattended with the same answers', async () => {
    cluster = await Cluster.create({ hsms: 1, spawn: inProcessSpawner(() => new MemoryStorage()), seed: 'prompted', passwordCost: TEST_PASSWORD_COST });
    const typed = ['cluster activate', 'login --username admin --role admin', 'user create --username bob --role crypto-user'];
    const values = ['admin-pass-1', 'admin-pass-1', 'admin-pass-1', 'bob-pass-1', 'bob-pass-1'];
    const session = cluster.openSession();
    const recorded: string[] = [];
    for (const line of typed) {
      const answers: PromptAnswer[] = [];
      const io = ioOverFiles(new VirtualFiles(), async (text, options) => {
        const value = values.shift()!;
        answers.push({ text, secret: options.secret, value });
        return value;
      });
      const result = await execute(line, { session, io });
      expect(result.envelope?.error_code).toBe(0);
      recorded.push(withPromptedFlags(line, answers));
    }
    expect(recorded).toEqual([
      'cluster activate --password admin-pass-1',
      'login --username admin --role admin --password admin-pass-1',
      'user create --username bob --role crypto-user --password bob-pass-1',
    ]);
    // Replayed on another cluster with no one to answer: every line runs, and bob can log in.
    const replay = await Cluster.create({ hsms: 1, spawn: inProcessSpawner(() => new MemoryStorage()), seed: 'prompted', passwordCost: TEST_PASSWORD_COST });
    try {
      const runner = new ScriptRunner(replay);
      const runs = await runner.runAll([...recorded, 'logout', 'login --username bob --role crypto-user --password bob-pass-1']);
      expect(runs.map((r) => r.envelope?.error_code)).toEqual([0, 0, 0, 0, 0]);
    } finally {
      replay.dispose();
    }
  });
});
