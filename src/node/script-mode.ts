/**
 * Piped mode: standard input is not a terminal and no command words were given. Each input line is
 * one command; its answer (one JSON document, or plain-text help) is written and flushed before the
 * next line is read, so a driving script can react to it. Blank lines and `#` comments print
 * nothing. When a command needs more input (a password left off, a confirmation) the prompt goes
 * to standard error and the answer is the next input line. Ends at end of input or `quit`; the
 * exit status is 0 whatever the commands answered.
 * @module
 */
import type { Io } from '../cli/machinery/io.ts';
import type { LineSource } from './line-reader.ts';
import { nodeIo } from './node-io.ts';
import { writeLine, type TextSink } from './output.ts';
import type { EmulatedTool, ToolContext } from './tools.ts';

export interface ScriptStreams {
  readonly input: LineSource;
  readonly stdout: TextSink;
  readonly stderr: TextSink;
}

/** The Io of piped mode: prompts on stderr, answered by the next input line. */
export function pipedIo(streams: ScriptStreams, cwd?: string): Io {
  return nodeIo(async (text) => {
    await writeLine(streams.stderr, text);
    const answer = await streams.input.next();
    if (answer === undefined) throw new Error(`Input ended while waiting for an answer to '${text}'`);
    return answer;
  }, cwd);
}

/** Run every input line; resolves with the exit status (0). */
export async function runScript(tool: EmulatedTool, ctx: Omit<ToolContext, 'io'>, streams: ScriptStreams, cwd?: string): Promise<number> {
  const io = pipedIo(streams, cwd);
  for (;;) {
    const line = await streams.input.next();
    if (line === undefined) return 0;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const result = await tool.execute(line, { ...ctx, io });
    await writeLine(streams.stdout, result.output);
    if (result.exit) return 0;
  }
}
