import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runShell } from '../../../src/node/shell.ts';
import { fakeTool, NO_CLUSTER } from './fake-tool.ts';

const ENTER = '\r';
const TAB = '\t';
const UP = '\x1b[A';

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** A shell over in-memory streams that a test types into. */
function shell() {
  const tool = fakeTool();
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  let wake: (() => void) | undefined;
  output.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
    wake?.();
  });
  const done = runShell(tool, NO_CLUSTER, { input, output });
  return {
    tool,
    done,
    get output() {
      return text;
    },
    type(keys: string) {
      input.write(keys);
    },
    end() {
      input.end();
    },
    /** Resolve once the output holds `needle` `times` times. */
    async shows(needle: string, times = 1) {
      await this.until(() => count(text, needle) >= times);
    },
    async until(ready: () => boolean) {
      while (!ready()) await new Promise<void>((resolve) => (wake = resolve));
    },
  };
}

describe('runShell', () => {
  it('prompts with the tool prompt, runs each typed line and prints its answer', async () => {
    const s = shell();
    await s.shows('fake > ');
    s.type(`key list${ENTER}`);
    await s.shows('{"error_code":0,"data":"key list"}');
    await s.shows('fake > ', 2);
    s.type(`bye${ENTER}`);
    expect(await s.done).toBe(0);
    expect(s.tool.lines).toEqual(['key list', 'bye']);
  });

  it('completes a word with Tab from the tool completion', async () => {
    const s = shell();
    await s.shows('fake > ');
    s.type(`cl${TAB}`);
    await s.shows('cluster');
    s.type(ENTER);
    await s.shows('"data":"cluster');
    s.type(`bye${ENTER}`);
    await s.done;
    expect(s.tool.lines[0]!.trim()).toBe('cluster');
  });

  it('hides a secret answer: not echoed, and not in history', async () => {
    const s = shell();
    await s.shows('fake > ');
    s.type(`ask secret pw:${ENTER}`);
    await s.shows('secret pw: ');
    s.type(`hunter22${ENTER}`);
    await s.shows('"data":"8 characters"');
    expect(s.output).not.toContain('hunter22');
    // the previous history entry is the command, not the password
    await s.shows('fake > ', 2);
    s.type(`${UP}${ENTER}`);
    // either the command runs again (right) or the password is run as a command (wrong)
    await s.until(() => count(s.output, 'secret pw: ') === 2 || count(s.output, '"error_code"') === 2);
    expect(count(s.output, 'secret pw: ')).toBe(2);
    s.type(`abc${ENTER}`);
    await s.shows('"data":"3 characters"');
    s.end();
    expect(await s.done).toBe(0);
    expect(s.tool.lines).toEqual(['ask secret pw:', 'ask secret pw:']);
    expect(s.output).not.toContain('abc\n');
  });

  it('shows a plain prompt answer as it is typed', async () => {
    const s = shell();
    await s.shows('fake > ');
    s.type(`ask Your name?${ENTER}`);
    await s.shows('Your name? ');
    s.type(`alice${ENTER}`);
    await s.shows('"data":"alice"');
    expect(s.output.split('alice').length - 1).toBe(2); // echoed, then answered
    s.end();
    expect(await s.done).toBe(0);
  });

  it('ends with status 0 at end of input (Ctrl+D)', async () => {
    const s = shell();
    await s.shows('fake > ');
    s.end();
    expect(await s.done).toBe(0);
    expect(s.tool.lines).toEqual([]);
  });
});
