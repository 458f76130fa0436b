/**
 * Passwords in shared command lines. A scenario or exported transcript carries commands, and
 * commands carry passwords (`--password …`). Unless the author ticks "include passwords (demo)",
 * each distinct password is replaced by a placeholder `{{password-N}}` (the same password gets
 * the same placeholder everywhere), and the person opening it is asked for a value per
 * placeholder. Which flags are passwords is read from the command table (flags whose prompt is
 * secret), not listed here.
 * @module
 */
import { CLOUDHSM_CLI } from '../../cli/cloudhsm-cli/table.ts';
import { quoteWord, tokenize } from '../../cli/machinery/tokenizer.ts';

const PLACEHOLDER = /\{\{password-(\d{1,3})\}\}/g;

let secretFlags: ReadonlySet<string> | undefined;

/** Names (without `--`) of every flag the command table asks for with a hidden prompt. */
export function secretFlagNames(): ReadonlySet<string> {
  secretFlags ??= new Set(CLOUDHSM_CLI.commands.flatMap((c) => c.flags.filter((f) => f.prompt?.secret).map((f) => f.name)));
  return secretFlags;
}

/** The placeholder standing for the n-th distinct password (1-based). */
export function placeholder(n: number): string {
  return `{{password-${n}}}`;
}

/** Replace every password value in `lines` by a placeholder; the same value gets the same placeholder. */
export function redactPasswords(lines: readonly string[]): { lines: string[]; placeholders: number } {
  const secret = secretFlagNames();
  const numbers = new Map<string, number>();
  const numberOf = (value: string): number => {
    let n = numbers.get(value);
    if (n === undefined) {
      n = numbers.size + 1;
      numbers.set(value, n);
    }
    return n;
  };
  const out = lines.map((line) => {
    const tokens = tokenize(line).tokens;
    // Edits from the end so earlier offsets stay valid.
    const edits: { start: number; end: number; text: string }[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (!token.text.startsWith('--')) continue;
      const eq = token.text.indexOf('=');
      const name = token.text.slice(2, eq < 0 ? undefined : eq);
      if (!secret.has(name)) continue;
      if (eq >= 0) {
        edits.push({ start: token.start, end: token.end, text: `--${name}=${placeholder(numberOf(token.text.slice(eq + 1)))}` });
      } else {
        const value = tokens[i + 1];
        if (value === undefined || value.text.startsWith('--')) continue;
        edits.push({ start: value.start, end: value.end, text: placeholder(numberOf(value.text)) });
        i++;
      }
    }
    let result = line;
    for (const edit of edits.reverse()) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
    return result;
  });
  return { lines: out, placeholders: numbers.size };
}

/** The distinct placeholder numbers used in `lines`, ascending. */
export function placeholdersIn(lines: readonly string[]): number[] {
  const found = new Set<number>();
  for (const line of lines) for (const m of line.matchAll(PLACEHOLDER)) found.add(Number(m[1]));
  return [...found].sort((a, b) => a - b);
}

/** Put the given passwords (`values[n]` for `{{password-n}}`) back into `lines`; throws naming a missing one. */
export function fillPasswords(lines: readonly string[], values: Readonly<Record<number, string>>): string[] {
  return lines.map((line) =>
    line.replace(PLACEHOLDER, (_match, digits: string) => {
      const value = values[Number(digits)];
      if (value === undefined || value === '') throw new RangeError(`No value was given for password ${digits} (${placeholder(Number(digits))})`);
      return quoteWord(value);
    }),
  );
}
