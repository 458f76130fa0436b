/**
 * Tutorials as markdown, format 1 (docs/tutorials.md): front matter (`tutorial: 1`, id, title,
 * optional seed and hsms), an introduction, then `## Step: …` sections, each with text,
 * ```` ```cloudhsm-cli ```` blocks of commands to run (clickable and copyable in the panel) and
 * ```` ```check ```` blocks that say what the learner's sandbox must show. Pure parsing; the
 * checks are evaluated by ./tutorial-checks.ts.
 * @module
 */
import { commandLines } from './script-lines.ts';

export const TUTORIAL_FORMAT = 1;

/** One expectation on a command's answer (see docs/tutorials.md for the grammar). */
export type Expectation =
  | { readonly kind: 'equals'; readonly path: string; readonly value: string }
  | { readonly kind: 'contains'; readonly path: string; readonly match: Readonly<Record<string, string>> }
  | { readonly kind: 'lacks'; readonly path: string; readonly match: Readonly<Record<string, string>> }
  | { readonly kind: 'count'; readonly path: string; readonly op: '>=' | '=' | '<='; readonly count: number };

export interface TutorialCheck {
  /** The command whose answer is checked (read-only: `user list`, `key list`, `sandbox sync-status`…). */
  readonly command: string;
  readonly session: string;
  readonly expectations: readonly Expectation[];
  /** What to tell the learner when the check fails. */
  readonly hint: string;
}

export interface TutorialCommandBlock {
  readonly session: string;
  readonly commands: readonly string[];
}

export interface TutorialStep {
  readonly title: string;
  /** The step's prose (markdown, rendered by the panel with a small safe subset). */
  readonly text: string;
  readonly blocks: readonly TutorialCommandBlock[];
  readonly checks: readonly TutorialCheck[];
}

export interface Tutorial {
  readonly id: string;
  readonly title: string;
  readonly seed?: string;
  readonly hsms: number;
  readonly intro: string;
  readonly steps: readonly TutorialStep[];
}

export class TutorialSyntaxError extends Error {
  override readonly name = 'TutorialSyntaxError';
}

const DEFAULT_SESSION = 'default';

function fail(source: string, line: number, message: string): never {
  throw new TutorialSyntaxError(`${source}:${line}: ${message}`);
}

function parsePairs(words: readonly string[], source: string, line: number): Record<string, string> {
  const match: Record<string, string> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) fail(source, line, `expected key=value, got '${word}'`);
    match[word.slice(0, eq)] = word.slice(eq + 1);
  }
  if (Object.keys(match).length === 0) fail(source, line, 'contains/lacks needs at least one key=value');
  return match;
}

/** `data.users contains username=alice role=crypto-user` and friends. */
export function parseExpectation(text: string, source = 'check', line = 0): Expectation {
  const words = text.trim().split(/\s+/);
  const [path, verb, ...rest] = words;
  if (!path || !verb) fail(source, line, `an expectation needs a path and a verb, got '${text.trim()}'`);
  switch (verb) {
    case '=':
      if (rest.length === 0) fail(source, line, `'${path} =' needs a value`);
      return { kind: 'equals', path, value: rest.join(' ') };
    case 'contains':
      return { kind: 'contains', path, match: parsePairs(rest, source, line) };
    case 'lacks':
      return { kind: 'lacks', path, match: parsePairs(rest, source, line) };
    case 'count': {
      const [op, n] = rest;
      if ((op !== '>=' && op !== '=' && op !== '<=') || n === undefined || !/^\d+$/.test(n) || rest.length !== 2) {
        fail(source, line, `count needs an operator (>=, = or <=) and a whole number, e.g. '${path} count >= 1'`);
      }
      return { kind: 'count', path, op, count: Number(n) };
    }
    default:
      return fail(source, line, `unknown verb '${verb}' (verbs are =, contains, lacks, count)`);
  }
}

function parseCheck(body: string, source: string, line: number): TutorialCheck {
  let command: string | undefined;
  let session = DEFAULT_SESSION;
  let hint: string | undefined;
  const expectations: Expectation[] = [];
  body.split('\n').forEach((raw, i) => {
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    const colon = text.indexOf(':');
    const key = colon < 0 ? '' : text.slice(0, colon).trim();
    const value = text.slice(colon + 1).trim();
    const at = line + 1 + i;
    if (key === 'command') command = value;
    else if (key === 'session') session = value;
    else if (key === 'expect') expectations.push(parseExpectation(value, source, at));
    else if (key === 'hint') hint = hint === undefined ? value : `${hint} ${value}`;
    else fail(source, at, `unknown check line '${text}' (lines are command:, session:, expect:, hint:)`);
  });
  if (command === undefined) fail(source, line, 'a check needs a command: line');
  if (expectations.length === 0) fail(source, line, 'a check needs at least one expect: line');
  if (hint === undefined) fail(source, line, 'a check needs a hint: line telling the learner what to do when it fails');
  return { command, session, expectations, hint };
}

function frontMatter(lines: readonly string[], source: string): { fields: Record<string, string>; end: number } {
  if (lines[0]?.trim() !== '---') fail(source, 1, "a tutorial starts with front matter ('---', 'tutorial: 1', id, title, '---')");
  const fields: Record<string, string> = {};
  for (let i = 1; i < lines.length; i++) {
    const text = lines[i]!.trim();
    if (text === '---') return { fields, end: i + 1 };
    const m = /^([a-z]+):\s*(.*)$/.exec(text);
    if (!m) fail(source, i + 1, `front matter lines are 'key: value', got '${text}'`);
    fields[m[1]!] = m[2]!;
  }
  return fail(source, 1, "front matter is never closed with '---'");
}

/** Parse a tutorial file; `source` names it in error messages. */
export function parseTutorial(markdown: string, source = 'tutorial'): Tutorial {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  const { fields, end } = frontMatter(lines, source);
  if (fields.tutorial !== String(TUTORIAL_FORMAT)) fail(source, 2, `'tutorial: ${TUTORIAL_FORMAT}' is required (this page reads tutorial format ${TUTORIAL_FORMAT}, got ${JSON.stringify(fields.tutorial ?? null)})`);
  if (!fields.id || !/^[a-z0-9-]{1,64}$/.test(fields.id)) fail(source, 2, 'id must be 1–64 lower-case letters, digits and dashes');
  if (!fields.title) fail(source, 2, 'title is required');
  const hsms = fields.hsms === undefined ? 2 : Number(fields.hsms);
  if (!Number.isInteger(hsms) || hsms < 1 || hsms > 28) fail(source, 2, `hsms must be a whole number from 1 to 28, got '${fields.hsms}'`);

  const intro: string[] = [];
  const steps: { title: string; text: string[]; blocks: TutorialCommandBlock[]; checks: TutorialCheck[] }[] = [];
  for (let i = end; i < lines.length; i++) {
    const line = lines[i]!;
    const heading = /^##\s+Step:\s*(.+)$/.exec(line);
    if (heading) {
      steps.push({ title: heading[1]!.trim(), text: [], blocks: [], checks: [] });
      continue;
    }
    const fence = /^```+\s*(\S*)\s*(.*)$/.exec(line);
    const current = steps[steps.length - 1];
    if (fence && (fence[1] === 'cloudhsm-cli' || fence[1] === 'check')) {
      const start = i;
      const body: string[] = [];
      for (i++; i < lines.length && !/^```+\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
      if (i >= lines.length) fail(source, start + 1, `this ${fence[1]} block is never closed`);
      if (!current) fail(source, start + 1, `${fence[1]} blocks belong inside a '## Step: …' section`);
      if (fence[1] === 'check') current.checks.push(parseCheck(body.join('\n'), source, start + 1));
      else {
        const session = /^session=([A-Za-z0-9_. -]{1,32})$/.exec(fence[2]!.trim())?.[1] ?? (fence[2]!.trim() === '' ? DEFAULT_SESSION : fail(source, start + 1, `unknown block option '${fence[2]!.trim()}' (only session=NAME)`));
        const commands = commandLines(body.join('\n'));
        current.blocks.push({ session, commands });
        current.text.push(`{{commands:${current.blocks.length - 1}}}`);
      }
      continue;
    }
    (current ? current.text : intro).push(line);
  }
  if (steps.length === 0) fail(source, end + 1, "a tutorial needs at least one '## Step: …' section");
  return {
    id: fields.id,
    title: fields.title,
    ...(fields.seed ? { seed: fields.seed } : {}),
    hsms,
    intro: intro.join('\n').trim(),
    steps: steps.map((s) => ({ title: s.title, text: s.text.join('\n').trim(), blocks: s.blocks, checks: s.checks })),
  };
}
