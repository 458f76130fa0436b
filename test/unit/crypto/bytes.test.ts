import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, equalBytes, fromBase64, fromHex, fromUtf8, toBase64, toHex, utf8 } from '../../../src/crypto/bytes.ts';
import { CryptoError } from '../../../src/crypto/errors.ts';

function code(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoError);
    return (error as CryptoError).code;
  }
  throw new Error('expected a CryptoError');
}

describe('hex', () => {
  it('round-trips and matches Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        const hex = toHex(b);
        expect(hex).toBe(Buffer.from(b).toString('hex'));
        expect(fromHex(hex)).toEqual(b);
        expect(fromHex(`0x${hex.toUpperCase()}`)).toEqual(b);
      }),
    );
  });

  it('refuses odd lengths and non-hex characters, naming the problem', () => {
    expect(code(() => fromHex('abc'))).toBe('bad-encoding');
    expect(() => fromHex('0xabc')).toThrow(/even number of digits, got 3/);
    expect(() => fromHex('12zz')).toThrow(/non-hex character "z" at position 2/);
    expect(() => fromHex('1 ')).toThrow(/non-hex character " " at position 1/);
    expect(fromHex('')).toEqual(new Uint8Array());
  });
});

describe('base64', () => {
  it('round-trips and matches Buffer (RFC 4648 §10 vectors too)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        const text = toBase64(b);
        expect(text).toBe(Buffer.from(b).toString('base64'));
        expect(fromBase64(text)).toEqual(b);
      }),
    );
    const rfc: [string, string][] = [['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='], ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy']];
    for (const [plain, encoded] of rfc) {
      expect(toBase64(utf8(plain))).toBe(encoded);
      expect(fromUtf8(fromBase64(encoded))).toBe(plain);
    }
  });

  it('is strict: padding, alphabet, whitespace and non-canonical bits are refused', () => {
    expect(() => fromBase64('Zg')).toThrow(/multiple of 4, got 2/);
    expect(() => fromBase64('Zg=a')).toThrow(/invalid character "=" at position 2/);
    expect(() => fromBase64('Zm9-')).toThrow(/invalid character "-" at position 3/);
    expect(() => fromBase64('Zm 9')).toThrow(/invalid character " "/);
    expect(() => fromBase64('Zh==')).toThrow(/non-zero unused bits/);
    expect(() => fromBase64('====')).toThrow(CryptoError);
    expect(() => fromBase64('Zé==')).toThrow(/invalid character/);
  });
});

describe('equalBytes and concatBytes', () => {
  it('compares contents, lengths included', () => {
    expect(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(false);
    expect(equalBytes(new Uint8Array(), new Uint8Array())).toBe(true);
  });

  it('joins in order without touching the inputs', () => {
    const a = new Uint8Array([1]);
    const b = new Uint8Array([2, 3]);
    const joined = concatBytes(a, b, new Uint8Array(), a);
    expect([...joined]).toEqual([1, 2, 3, 1]);
    joined[0] = 9;
    expect(a[0]).toBe(1);
  });
});

describe('UTF-8', () => {
  it('round-trips any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(fromUtf8(utf8(s))).toBe(s);
      }),
    );
    expect(toHex(utf8('é€'))).toBe('c3a9e282ac');
  });

  it('refuses invalid UTF-8', () => {
    expect(code(() => fromUtf8(new Uint8Array([0xc3])))).toBe('bad-encoding');
    expect(() => fromUtf8(new Uint8Array([0xff]))).toThrow(/not valid UTF-8/);
  });
});
