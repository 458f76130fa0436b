/**
 * Splits a command line into words the way a POSIX shell does for plain words: whitespace
 * separates, `"…"` and `'…'` quote (also mid-word: `attr.label="my key"` is one word
 * `attr.label=my key`), and a backslash escapes the next character (outside single quotes).
 * Never throws: an unterminated quote or a trailing backslash is reported as an error.
 * @module
 */

export interface Token {
  /** The word after quote removal. */
  readonly text: string;
  /** Offset of the word's first character in the line. */
  readonly start: number;
  /** Offset just after the word's last character. */
  readonly end: number;
}

export type TokenizeResult =
  | { readonly ok: true; readonly tokens: readonly Token[] }
  | { readonly ok: false; readonly error: string; readonly tokens: readonly Token[] };

const WHITESPACE = /\s/;

export function tokenize(line: string): TokenizeResult {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line.charAt(i);
    if (WHITESPACE.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    let text = '';
    while (i < line.length && !WHITESPACE.test(line.charAt(i))) {
      const c = line.charAt(i);
      if (c === '\\') {
        if (i + 1 >= line.length) {
          tokens.push({ text, start, end: i + 1 });
          return { ok: false, error: 'Invalid command line: trailing backslash', tokens };
        }
        text += line.charAt(i + 1);
        i += 2;
      } else if (c === "'" || c === '"') {
        const close = findClosingQuote(line, i + 1, c);
        if (close < 0) {
          text += unescapeQuoted(line.slice(i + 1), c);
          tokens.push({ text, start, end: line.length });
          return { ok: false, error: `Invalid command line: unterminated ${c === '"' ? 'double' : 'single'} quote starting at column ${i + 1}`, tokens };
        }
        text += unescapeQuoted(line.slice(i + 1, close), c);
        i = close + 1;
      } else {
        text += c;
        i++;
      }
    }
    tokens.push({ text, start, end: i });
  }
  return { ok: true, tokens };
}

/** Index of the quote closing one opened just before `from`, or -1. */
function findClosingQuote(line: string, from: number, quote: string): number {
  for (let j = from; j < line.length; j++) {
    const c = line.charAt(j);
    if (quote === '"' && c === '\\') j++;
    else if (c === quote) return j;
  }
  return -1;
}

/** Inside double quotes a backslash escapes `"`, `\` (and anything else, kept simple); inside single quotes nothing is special. */
function unescapeQuoted(body: string, quote: string): string {
  if (quote === "'") return body;
  return body.replace(/\\(.)/g, '$1');
}

/** Quotes a word so {@link tokenize} gives it back unchanged (used by completion and docs). */
export function quoteWord(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
