/**
 * Regenerates a transcript: runs the command blocks of a markdown document in order against a
 * fresh seeded cluster and writes each block's outputs into the owned output block below it
 * (docs/transcripts.md). Also says which block is stale, for `--check`. The cluster is opened by
 * the caller (worker threads in Node, Web Workers in the page) so this module runs in both.
 * @module
 */
import { ScriptRunner, type SessionSource } from './script-runner.ts';
import { parseTranscript, type TranscriptSettings } from './transcript-format.ts';

/** The seed used when neither the document nor the caller names one: transcripts repeat by default. */
export const DEFAULT_TRANSCRIPT_SEED = 'hsm-playground-transcript';
export const DEFAULT_TRANSCRIPT_HSMS = 2;

/** The settings a run uses after defaults and overrides. */
export interface EffectiveSettings {
  readonly seed: string;
  readonly hsms: number;
  readonly model?: string;
}

export interface TranscriptResult {
  /** The regenerated document. */
  readonly text: string;
  readonly settings: EffectiveSettings;
  readonly commandCount: number;
  /** The first block whose output block differs from (or is missing in) the input, if any. */
  readonly firstStale?: { readonly line: number; readonly command: string };
}

/** Opens the cluster a run works on; `close` stops its HSMs. */
export type ClusterOpener = (settings: EffectiveSettings) => Promise<{ cluster: SessionSource; close(): Promise<void> | void }>;

/** Merge the document's settings with the caller's overrides (the caller wins) and the defaults. */
export function effectiveSettings(fromDocument: TranscriptSettings, overrides: TranscriptSettings = {}): EffectiveSettings {
  const model = overrides.model ?? fromDocument.model;
  return {
    seed: overrides.seed ?? fromDocument.seed ?? DEFAULT_TRANSCRIPT_SEED,
    hsms: overrides.hsms ?? fromDocument.hsms ?? DEFAULT_TRANSCRIPT_HSMS,
    ...(model !== undefined ? { model } : {}),
  };
}

/** Run every command block of `markdown` and return the document with fresh outputs. */
export async function regenerateTranscript(markdown: string, open: ClusterOpener, overrides: TranscriptSettings = {}): Promise<TranscriptResult> {
  const parsed = parseTranscript(markdown);
  const settings = effectiveSettings(parsed.settings, overrides);
  const opened = await open(settings);
  const outputs: (string | undefined)[] = [];
  let commandCount = 0;
  let firstStale: TranscriptResult['firstStale'];
  try {
    const runner = new ScriptRunner(opened.cluster);
    for (const block of parsed.blocks) {
      if (block.options.skip) {
        outputs.push(block.existingOutput);
        continue;
      }
      const printed: string[] = [];
      for (const line of block.commands) {
        const run = await runner.run(line, block.options.session === undefined ? {} : { session: block.options.session });
        commandCount++;
        if (run.output !== '') printed.push(run.output.replace(/\n+$/, ''));
      }
      const output = block.options.hideOutput ? undefined : printed.join('\n');
      outputs.push(output);
      if (firstStale === undefined && output !== block.existingOutput) {
        firstStale = { line: block.line, command: block.commands[0] ?? '(empty block)' };
      }
    }
  } finally {
    await opened.close();
  }
  const text = parsed.render(outputs);
  // Orphan output blocks (dropped by the render) also make a document stale.
  if (firstStale === undefined && text !== markdown) firstStale = { line: 0, command: '(an output block that follows no command block, or spacing around output blocks)' };
  return { text, settings, commandCount, ...(firstStale ? { firstStale } : {}) };
}
