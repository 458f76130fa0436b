/**
 * The tool's own subcommands: first command words that are not commands of the emulated tool.
 * `transcript` is reserved here (built by the sandbox work: `hsm-playground transcript FILE.md
 * [--check] [--seed S]`, src/node/transcript.ts).
 * @module
 */
import type { ToolOptions } from './options.ts';
import type { TextSink } from './output.ts';
import { transcriptCommand } from './transcript.ts';

export interface SubcommandStreams {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
}

/** Runs with the words after the subcommand's name; resolves with the exit status. */
export type Subcommand = (args: readonly string[], options: ToolOptions, streams: SubcommandStreams) => Promise<number>;

/** Subcommand name → implementation. */
export const SUBCOMMANDS: ReadonlyMap<string, Subcommand> = new Map<string, Subcommand>([['transcript', transcriptCommand]]);
