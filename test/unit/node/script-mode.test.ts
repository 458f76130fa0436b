import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineReader } from '../../../src/node/line-reader.ts';
import { runScript } from '../../../src/node/script-mode.ts';
import type { TextSink } from '../../../src/node/output.ts';
import { fakeTool, NO_CLUSTER } from './fake-tool.ts';

/** A sink that records writes, each with what had been read from the input so far. */
function sink(): TextSink & { text: string; writes: string[] } {
  const s = {
    text: '',
    writes: [] as string[],
    write(text: string, callback: (error?: Error | null) => void) {
      s.text += text;
      s.writes.push(text);
      queueMicrotask(() => callback());
      return true;
    },
  };
  return s;
}

async function run(input: string) {
  const tool = fakeTool();
  const stdin = new PassThrough();
  stdin.end(input);
  const stdout = sink();
  const stderr = sink();
  const code = await runScript(tool, NO_CLUSTER, { input: new LineReader(stdin), stdout, stderr });
  return { code, tool, stdout, stderr };
}

describe('runScript', () => {
  it('runs each line, one answer per line, skipping blanks and # comments', async () => {
    const { code, tool, stdout } = await run('first\n\n   \n# comment\n  # indented comment\nsecond');
    expect(code).toBe(0);
    expect(tool.lines).toEqual(['first', 'second']);
    expect(stdout.writes).toEqual(['{"error_code":0,"data":"first"}\n', '{"error_code":0,"data":"second"}\n']);
  });

  it('sends prompts to stderr and answers them with the next line', async () => {
    const { tool, stdout, stderr } = await run('ask secret password:\nhunter22\nafter\n');
    expect(tool.lines).toEqual(['ask secret password:', 'after']);
    expect(stderr.text).toBe('secret password:\n');
    expect(stdout.text).toBe('{"error_code":0,"data":"8 characters"}\n{"error_code":0,"data":"after"}\n');
  });

  it('answers a prompt that finds the input ended with a failure naming the prompt, and exits 0', async () => {
    const { code, stdout } = await run('ask Enter password:\n');
    expect(code).toBe(0);
    expect(JSON.parse(stdout.text)).toEqual({ error_code: 1, data: "Input ended while waiting for an answer to 'Enter password:'" });
  });

  it('exits 0 after failures, prints help as is, and stops at a line asking to exit', async () => {
    const { code, tool, stdout } = await run('fail\nhelp\nbye\nnever run\n');
    expect(code).toBe(0);
    expect(tool.lines).toEqual(['fail', 'help', 'bye']);
    expect(stdout.text).toBe('{"error_code":1,"data":"failed"}\nplain help text\n');
  });

  it('does not read the next line before the previous answer is written', async () => {
    const tool = fakeTool();
    const stdin = new PassThrough();
    const stdout = sink();
    let firstWrite!: () => void;
    const written = new Promise<void>((resolve) => (firstWrite = resolve));
    const write = stdout.write;
    stdout.write = (text, callback) => {
      const result = write(text, callback);
      firstWrite();
      return result;
    };
    const done = runScript(tool, NO_CLUSTER, { input: new LineReader(stdin), stdout, stderr: sink() });
    stdin.write('one\n');
    await written;
    // answered while the input is still open and holds nothing more
    expect(stdout.writes).toEqual(['{"error_code":0,"data":"one"}\n']);
    stdin.end('two\n');
    expect(await done).toBe(0);
    expect(stdout.writes).toHaveLength(2);
  });
});
