/**
 * The shell-like tokenizer: whitespace, quotes, escapes, word positions, errors with columns, and
 * quoteWord round-tripping (property).
 * @module
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quoteWord, tokenize } from '../../../src/cli/machinery/tokenizer.ts';

const words = (line: string) => {
  const r = tokenize(line);
  if (!r.ok) throw new Error(r.error);
  return r.tokens.map((t) => t.text);
};

describe('tokenize', () => {
  it('splits on runs of whitespace', () => {
    expect(words('  key   list\t--verbose ')).toEqual(['key', 'list', '--verbose']);
  });
  it('removes double quotes mid-word (attr.label="my key")', () => {
    expect(words('--filter attr.label="my key" attr.class=secret-key')).toEqual(['--filter', 'attr.label=my key', 'attr.class=secret-key']);
  });
  it('keeps single-quoted text literally, backslashes included', () => {
    expect(words(`--label 'a \\"b\\" c'`)).toEqual(['--label', 'a \\"b\\" c']);
  });
  it('honours backslash escapes outside and inside double quotes', () => {
    expect(words('my\\ key "say \\"hi\\""')).toEqual(['my key', 'say "hi"']);
  });
  it('gives an empty word for ""', () => {
    expect(words('--label ""')).toEqual(['--label', '']);
  });
  it('records where each word starts and ends', () => {
    const r = tokenize('ab "c d"');
    expect(r.tokens.map((t) => [t.start, t.end])).toEqual([[0, 2], [3, 8]]);
  });
  it('reports an unterminated quote with its column', () => {
    const r = tokenize('login --password "abc');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe('Invalid command line: unterminated double quote starting at column 18');
  });
  it('reports a trailing backslash', () => {
    const r = tokenize('abc\\');
    expect(r.ok).toBe(false);
  });
  it('quoteWord gives back any word unchanged after tokenizing (property)', () => {
    fc.assert(
      fc.property(fc.string(), (w) => {
        expect(words(quoteWord(w))).toEqual([w]);
      }),
    );
  });
});
