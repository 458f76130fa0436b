/**
 * The markdown side of transcripts (docs/transcripts.md): find the ```` ```cloudhsm-cli ````
 * blocks of a document, the output blocks the tool owns (```` ```json transcript-output ````
 * right after a command block), and the settings comment
 * (`<!-- hsm-playground transcript: seed=… hsms=… -->`); then write the document back with fresh
 * outputs. Everything outside the tool's own blocks is kept byte for byte. Pure string work.
 * @module
 */
import { commandLines } from './script-lines.ts';

/** Info-string language of the blocks the tool runs. */
export const INPUT_LANGUAGE = 'cloudhsm-cli';
/** The word after `json` in the info string of a block the tool owns (and rewrites). */
export const OUTPUT_MARKER = 'transcript-output';

/** Options of one command block, from its info string (` ```cloudhsm-cli session=alice `). */
export interface BlockOptions {
  /** Named session the block runs in (default: the shared one). */
  readonly session?: string;
  /** Run the commands but insert no output block. */
  readonly hideOutput: boolean;
  /** Do not run the block at all (an example that must not change the cluster). */
  readonly skip: boolean;
}

export interface CommandBlock {
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly commands: readonly string[];
  readonly options: BlockOptions;
  /** The existing owned output block's content, if there is one right after this block. */
  readonly existingOutput: string | undefined;
}

/** Settings a document can pin in its settings comment. */
export interface TranscriptSettings {
  readonly seed?: string;
  readonly hsms?: number;
  readonly model?: string;
}

/** A document cut into kept text and the tool's blocks. */
export interface ParsedTranscript {
  readonly settings: TranscriptSettings;
  readonly blocks: readonly CommandBlock[];
  /** Rebuild the document with `outputs[i]` (the text of block i's output block, or undefined for none). */
  render(outputs: readonly (string | undefined)[]): string;
}

/** Raised for documents the tool cannot read, naming the line. */
export class TranscriptSyntaxError extends Error {
  override readonly name = 'TranscriptSyntaxError';
}

const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const SETTINGS = /^<!--\s*hsm-playground transcript:(.*?)-->\s*$/;

interface Fence {
  readonly start: number; // index of the opening line
  readonly end: number; // index of the closing line
  readonly indent: string;
  readonly language: string;
  readonly info: readonly string[];
  readonly body: string;
}

function parseOptions(words: readonly string[], line: number): BlockOptions {
  let session: string | undefined;
  let hideOutput = false;
  let skip = false;
  for (const word of words) {
    if (word === 'hide-output') hideOutput = true;
    else if (word === 'skip') skip = true;
    else if (word.startsWith('session=') && /^session=[A-Za-z0-9_.-]{1,32}$/.test(word)) session = word.slice('session='.length);
    else throw new TranscriptSyntaxError(`Line ${line}: unknown option '${word}' on a ${INPUT_LANGUAGE} block (options are session=NAME, hide-output, skip)`);
  }
  return { ...(session !== undefined ? { session } : {}), hideOutput, skip };
}

function parseSettings(text: string, line: number): TranscriptSettings {
  const settings: { seed?: string; hsms?: number; model?: string } = {};
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const eq = word.indexOf('=');
    const key = eq < 0 ? word : word.slice(0, eq);
    const value = eq < 0 ? '' : word.slice(eq + 1);
    if (value === '') throw new TranscriptSyntaxError(`Line ${line}: setting '${key}' needs a value (key=value)`);
    if (key === 'seed') settings.seed = value;
    else if (key === 'model') settings.model = value;
    else if (key === 'hsms') {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < 1 || n > 28) throw new TranscriptSyntaxError(`Line ${line}: hsms must be a whole number from 1 to 28, got '${value}'`);
      settings.hsms = n;
    } else throw new TranscriptSyntaxError(`Line ${line}: unknown setting '${key}' (settings are seed, hsms, model)`);
  }
  return settings;
}

function findFences(lines: readonly string[]): Fence[] {
  const fences: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, indent = '', marks = '', rest = ''] = open;
    if (marks.startsWith('`') && rest.includes('`')) continue; // not a fence (CommonMark)
    const words = rest.trim().split(/\s+/).filter(Boolean);
    let end = i + 1;
    for (; end < lines.length; end++) {
      const close = FENCE.exec(lines[end]!);
      if (close && close[2]!.startsWith(marks[0]!) && close[2]!.length >= marks.length && close[3]!.trim() === '') break;
    }
    if (end >= lines.length && words[0] === INPUT_LANGUAGE) throw new TranscriptSyntaxError(`Line ${i + 1}: this ${INPUT_LANGUAGE} block is never closed`);
    const body = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l)).join('\n');
    fences.push({ start: i, end: Math.min(end, lines.length - 1), indent, language: words[0] ?? '', info: words.slice(1), body });
    i = end;
  }
  return fences;
}

function isOwnedOutput(fence: Fence): boolean {
  return fence.language === 'json' && fence.info.includes(OUTPUT_MARKER);
}

/** A fence long enough that `content` cannot close it. */
function fenceFor(content: string): string {
  let longest = 0;
  for (const run of content.match(/`{3,}/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** The text of an owned output block holding `content`. */
export function outputBlock(content: string, indent = ''): string {
  const fence = fenceFor(content);
  const body = content === '' ? [] : content.split('\n');
  return [`${fence}json ${OUTPUT_MARKER}`, ...body, fence].map((l) => (l === '' ? l : indent + l)).join('\n');
}

/** Cut a markdown document into kept text and the tool's blocks. */
export function parseTranscript(markdown: string): ParsedTranscript {
  const lines = markdown.split('\n');
  let settings: TranscriptSettings = {};
  for (let i = 0; i < lines.length; i++) {
    const m = SETTINGS.exec(lines[i]!.trim());
    if (m) settings = { ...settings, ...parseSettings(m[1]!, i + 1) };
  }

  const fences = findFences(lines);
  const blocks: CommandBlock[] = [];
  // Pieces of the document: kept line ranges, and slots where block i's output goes.
  type Piece = { kind: 'text'; from: number; to: number } | { kind: 'output'; block: number; indent: string };
  const pieces: Piece[] = [];
  let cursor = 0;
  for (let f = 0; f < fences.length; f++) {
    const fence = fences[f]!;
    if (isOwnedOutput(fence)) {
      // An owned block that follows no command block: dropped (the tool owns it), with the blank lines before it.
      let from = fence.start;
      while (from > cursor && lines[from - 1]!.trim() === '') from--;
      pieces.push({ kind: 'text', from: cursor, to: from });
      cursor = fence.end + 1;
      continue;
    }
    if (fence.language !== INPUT_LANGUAGE) continue;
    const options = parseOptions(fence.info, fence.start + 1);
    pieces.push({ kind: 'text', from: cursor, to: fence.end + 1 });
    cursor = fence.end + 1;
    // Is the next fence, after only blank lines, an owned output block? Then it belongs to this block.
    const next = fences[f + 1];
    let existingOutput: string | undefined;
    if (next && isOwnedOutput(next) && lines.slice(fence.end + 1, next.start).every((l) => l.trim() === '')) {
      existingOutput = next.body;
      cursor = next.end + 1;
      f++;
    }
    blocks.push({ line: fence.start + 1, commands: commandLines(fence.body), options, existingOutput });
    pieces.push({ kind: 'output', block: blocks.length - 1, indent: fence.indent });
  }
  pieces.push({ kind: 'text', from: cursor, to: lines.length });

  return {
    settings,
    blocks,
    render(outputs) {
      const out: string[] = [];
      for (const piece of pieces) {
        if (piece.kind === 'text') out.push(...lines.slice(piece.from, piece.to));
        else {
          const content = outputs[piece.block];
          if (content !== undefined) out.push('', outputBlock(content, piece.indent));
        }
      }
      return out.join('\n');
    },
  };
}
