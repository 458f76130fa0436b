/**
 * Evaluating a tutorial's checks against answers: resolve a path (`data.users`,
 * `data.key.key-info.cluster-coverage`) in the JSON envelope and test the expectation, producing
 * a sentence that says what was expected and what was found — the explanation a learner sees
 * beside the author's hint. Pure.
 * @module
 */
import type { Expectation, TutorialCheck } from './tutorial-format.ts';

export interface CheckOutcome {
  readonly passed: boolean;
  /** For a failure: what was expected and what the answer held. */
  readonly explanation?: string;
}

/** The value at a dotted path (`data.users`), or undefined. Keys may contain dashes. */
export function valueAt(root: unknown, path: string): unknown {
  let value: unknown = root;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function matches(item: unknown, match: Readonly<Record<string, string>>): boolean {
  return Object.entries(match).every(([key, want]) => text(valueAt(item, key)) === want);
}

function describeMatch(match: Readonly<Record<string, string>>): string {
  return Object.entries(match).map(([k, v]) => `${k}=${v}`).join(', ');
}

function summarise(items: readonly unknown[], match: Readonly<Record<string, string>>): string {
  if (items.length === 0) return 'it is empty';
  const keys = Object.keys(match);
  const shown = items.slice(0, 6).map((item) => keys.map((k) => `${k}=${text(valueAt(item, k))}`).join(' '));
  return `it holds ${items.length}: ${shown.join('; ')}${items.length > 6 ? '; …' : ''}`;
}

/** Test one expectation against an answer (the parsed JSON envelope). */
export function evaluate(expectation: Expectation, answer: unknown): CheckOutcome {
  const found = valueAt(answer, expectation.path);
  switch (expectation.kind) {
    case 'equals':
      return text(found) === expectation.value ? { passed: true } : { passed: false, explanation: `Expected ${expectation.path} to be ${expectation.value}, but it is ${found === undefined ? 'missing' : text(found)}.` };
    case 'contains':
    case 'lacks': {
      if (!Array.isArray(found)) return { passed: false, explanation: `Expected ${expectation.path} to be a list, but it is ${found === undefined ? 'missing' : text(found)}.` };
      const hit = found.some((item) => matches(item, expectation.match));
      if (expectation.kind === 'contains') {
        return hit ? { passed: true } : { passed: false, explanation: `Expected ${expectation.path} to contain an entry with ${describeMatch(expectation.match)}, but ${summarise(found, expectation.match)}.` };
      }
      return hit ? { passed: false, explanation: `Expected ${expectation.path} to have no entry with ${describeMatch(expectation.match)}, but it has one.` } : { passed: true };
    }
    case 'count': {
      const n = Array.isArray(found) ? found.length : undefined;
      const ok = n !== undefined && (expectation.op === '>=' ? n >= expectation.count : expectation.op === '<=' ? n <= expectation.count : n === expectation.count);
      return ok ? { passed: true } : { passed: false, explanation: `Expected ${expectation.path} to hold ${expectation.op === '=' ? 'exactly' : expectation.op === '>=' ? 'at least' : 'at most'} ${expectation.count}, but ${n === undefined ? 'it is not a list' : `it holds ${n}`}.` };
    }
  }
}

/** Run a check: `ask` runs its command (without recording it) and resolves with the printed output. */
export async function runCheck(check: TutorialCheck, ask: (command: string, session: string) => Promise<string>): Promise<CheckOutcome> {
  const output = await ask(check.command, check.session);
  let answer: unknown;
  try {
    answer = JSON.parse(output);
  } catch {
    return { passed: false, explanation: `'${check.command}' did not answer JSON: ${output.slice(0, 200)}` };
  }
  for (const expectation of check.expectations) {
    const outcome = evaluate(expectation, answer);
    if (!outcome.passed) return outcome;
  }
  return { passed: true };
}
