/**
 * The tool's own subcommands: first command words that are not commands of the emulated tool.
 * `transcript` is reserved here (built by the sandbox work: `hsm-playground transcript FILE.md
 * [--check] [--seed S]`); until it is registered it answers "not yet available" with exit 2.
 * @module
 */
import type { ToolOptions } from './options.ts';
import type { TextSink } from './output.ts';
import { writeLine } from './output.ts';

export interface SubcommandStreams {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
}

/** Runs with the words after the subcommand's name; resolves with the exit status. */
export type Subcommand = (args: readonly string[], options: ToolOptions, streams: SubcommandStreams) => Promise<number>;

async function transcriptNotYetAvailable(_args: readonly string[], _options: ToolOptions, streams: SubcommandStreams): Promise<number> {
  await writeLine(streams.stderr, 'hsm-playground: the transcript subcommand is not yet available');
  return 2;
}

/** Subcommand name → implementation. */
export const SUBCOMMANDS: ReadonlyMap<string, Subcommand> = new Map<string, Subcommand>([['transcript', transcriptNotYetAvailable]]);
