/**
 * `hsm-playground transcript FILE.md [--check] [--seed S] [--hsms N]`: runs the ```` ```cloudhsm-cli ````
 * blocks of a markdown file in order against a fresh seeded cluster of real HSM worker threads
 * and writes the file back with each block's outputs in the output block below it
 * (docs/transcripts.md). With `--check` nothing is written: exit 1 naming the first stale block
 * when the outputs differ. Exit 0 done/up to date, 1 stale or unreadable file, 2 bad usage.
 * @module
 */
import { readFile, writeFile } from 'node:fs/promises';
import { regenerateTranscript } from '../ui/sandbox/transcript.ts';
import { TranscriptSyntaxError, type TranscriptSettings } from '../ui/sandbox/transcript-format.ts';
import type { HsmModel } from '../hsm/state.ts';
import { openCluster } from './open-cluster.ts';
import { HSM_MODELS, type ToolOptions } from './options.ts';
import { writeLine } from './output.ts';
import type { SubcommandStreams } from './subcommands.ts';

export const TRANSCRIPT_USAGE = 'Usage: hsm-playground transcript FILE.md [--check] [--seed S] [--hsms N]';

interface TranscriptArgs {
  readonly file: string;
  readonly check: boolean;
  readonly overrides: TranscriptSettings;
}

/** Parse the words after `transcript`; options given before it (`--seed`, `--hsms`, `--model`) count too. */
export function parseTranscriptArgs(args: readonly string[], options: Pick<ToolOptions, 'seed' | 'hsms' | 'hsmsGiven' | 'model' | 'stateDir'>): TranscriptArgs | { error: string } {
  if (options.stateDir !== undefined) return { error: 'transcript always runs on a fresh cluster in memory: drop --state' };
  let file: string | undefined;
  let check = false;
  let seed = options.seed;
  let hsms = options.hsmsGiven ? options.hsms : undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--check') check = true;
    else if (arg === '--seed' || arg.startsWith('--seed=')) {
      const value = arg === '--seed' ? args[++i] : arg.slice('--seed='.length);
      if (value === undefined || value === '') return { error: '--seed needs a non-empty value' };
      seed = value;
    } else if (arg === '--hsms' || arg.startsWith('--hsms=')) {
      const value = arg === '--hsms' ? args[++i] : arg.slice('--hsms='.length);
      const n = Number(value);
      if (value === undefined || !/^\d+$/.test(value) || n < 1 || n > 28) return { error: `--hsms must be a whole number from 1 to 28, got '${value ?? ''}'` };
      hsms = n;
    } else if (arg.startsWith('-')) return { error: `unknown transcript option '${arg}' (options are --check, --seed S, --hsms N)` };
    else if (file === undefined) file = arg;
    else return { error: `one file at a time: '${file}' and '${arg}' were both given` };
  }
  if (file === undefined) return { error: 'which markdown file? (no FILE.md given)' };
  return {
    file,
    check,
    overrides: { ...(seed !== undefined ? { seed } : {}), ...(hsms !== undefined ? { hsms } : {}), ...(options.model ? { model: options.model } : {}) },
  };
}

/** The `transcript` subcommand (registered in ./subcommands.ts). */
export async function transcriptCommand(args: readonly string[], options: ToolOptions, streams: SubcommandStreams): Promise<number> {
  const parsed = parseTranscriptArgs(args, options);
  if ('error' in parsed) {
    await writeLine(streams.stderr, `hsm-playground transcript: ${parsed.error}`);
    await writeLine(streams.stderr, TRANSCRIPT_USAGE);
    return 2;
  }
  let original: string;
  try {
    original = await readFile(parsed.file, 'utf8');
  } catch (error) {
    await writeLine(streams.stderr, `hsm-playground transcript: cannot read ${parsed.file}: ${(error as Error).message}`);
    return 1;
  }
  let result;
  try {
    result = await regenerateTranscript(
      original,
      async (settings) => {
        const model = settings.model === undefined ? undefined : HSM_MODELS.find((m) => m === settings.model);
        if (settings.model !== undefined && model === undefined) throw new TranscriptSyntaxError(`model must be one of ${HSM_MODELS.join(', ')}, got '${settings.model}'`);
        const opened = await openCluster({ hsms: settings.hsms, hsmsGiven: true, model: model as HsmModel | undefined, seed: settings.seed, stateDir: undefined });
        return { cluster: opened.cluster, close: () => opened.close() };
      },
      parsed.overrides,
    );
  } catch (error) {
    await writeLine(streams.stderr, `hsm-playground transcript: ${parsed.file}: ${(error as Error).message}`);
    return error instanceof TranscriptSyntaxError ? 2 : 1;
  }
  const where = result.firstStale ? (result.firstStale.line > 0 ? `${parsed.file}:${result.firstStale.line}` : parsed.file) : parsed.file;
  if (parsed.check) {
    if (result.firstStale) {
      await writeLine(streams.stderr, `${where}: stale output for the block starting with '${result.firstStale.command}' (seed ${result.settings.seed}); run: hsm-playground transcript ${parsed.file}`);
      return 1;
    }
    await writeLine(streams.stdout, `${parsed.file}: up to date (${result.commandCount} commands, seed ${result.settings.seed})`);
    return 0;
  }
  if (result.text !== original) await writeFile(parsed.file, result.text, 'utf8');
  await writeLine(streams.stdout, `${parsed.file}: ${result.text === original ? 'already up to date' : 'written'} (${result.commandCount} commands, seed ${result.settings.seed})`);
  return 0;
}
