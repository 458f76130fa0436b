/**
 * The interactive shell (standard input is a terminal, no command words): node:readline with the
 * tool's prompt (`aws-cloudhsm > `), line editing and history, Tab completion from the command
 * table, and hidden input for passwords (nothing echoes, and the answer stays out of history).
 * Ends on `quit`, Ctrl+D, or Ctrl+C on an empty line.
 * @module
 */
import * as readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { nodeIo } from './node-io.ts';
import { promptOf, type EmulatedTool, type ToolContext } from './tools.ts';

export interface ShellStreams {
  readonly input: Readable;
  readonly output: Writable;
}

/** readline internals used to hide typed passwords (stable since Node 10, used widely). */
interface ReadlineInternals {
  _writeToOutput(text: string): void;
  history: string[];
  line: string;
}

export interface ShellOptions {
  /** Lines kept in history (default 1000). */
  readonly historySize?: number;
  /** Working directory for file paths (default: the process's). */
  readonly cwd?: string;
}

export async function runShell(tool: EmulatedTool, ctx: Omit<ToolContext, 'io'>, streams: ShellStreams, options: ShellOptions = {}): Promise<number> {
  /** The prompt of a secret question being asked: only it is shown, never what is typed. */
  let hidden: string | undefined;
  const rl = readline.createInterface({
    input: streams.input,
    output: streams.output,
    terminal: true,
    historySize: options.historySize ?? 1000,
    removeHistoryDuplicates: true,
    completer: (line: string): [string[], string] => {
      if (hidden !== undefined) return [[], line];
      const completion = tool.complete(line);
      return [[...completion.candidates], line.slice(completion.start)];
    },
  });
  const internals = rl as unknown as ReadlineInternals;
  const writeToOutput = internals._writeToOutput.bind(rl);
  internals._writeToOutput = (text: string) => {
    if (hidden === undefined) writeToOutput(text);
    else if (text.startsWith(hidden)) writeToOutput(hidden); // readline redrawing "prompt + typed text"
    else if (/[\r\n]/.test(text)) writeToOutput('\r\n');
  };

  let closed = false;
  rl.on('close', () => (closed = true));
  rl.on('SIGINT', () => {
    if (internals.line.length === 0 && hidden === undefined) {
      streams.output.write('\n');
      rl.close();
      return;
    }
    // Ctrl+C with text typed: drop the line and start over, as shells do.
    (rl as unknown as { clearLine(): void }).clearLine?.();
    streams.output.write('^C\n');
    rl.prompt();
  });

  const ask = (text: string): Promise<string | undefined> =>
    new Promise((resolve) => {
      if (closed) return resolve(undefined);
      const onClose = (): void => resolve(undefined);
      rl.once('close', onClose);
      rl.question(text, (answer) => {
        rl.off('close', onClose);
        resolve(answer);
      });
    });

  const io = nodeIo(async (text, { secret }) => {
    const prompt = text.endsWith(' ') ? text : `${text} `;
    if (!secret) {
      const answer = await ask(prompt);
      if (answer === undefined) throw new Error(`Input ended while waiting for an answer to '${text}'`);
      return answer;
    }
    hidden = prompt;
    try {
      const answer = await ask(prompt);
      if (answer === undefined) throw new Error(`Input ended while waiting for an answer to '${text}'`);
      if (internals.history[0] === answer) internals.history.shift();
      return answer;
    } finally {
      hidden = undefined;
    }
  }, options.cwd);

  try {
    for (;;) {
      const line = await ask(promptOf(tool, ctx.session));
      if (line === undefined) return 0;
      const result = await tool.execute(line, { ...ctx, io });
      if (result.output.length > 0) streams.output.write(`${result.output}\n`);
      if (result.exit) return 0;
    }
  } finally {
    rl.close();
  }
}
