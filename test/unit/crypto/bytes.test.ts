/**
 * Byte helpers: hex, base64 and UTF-8 match Buffer and refuse malformed input with a message naming
 * the problem; constant-time comparison and concatenation; big-endian integers ⇄ bytes.
 * @module
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bigintToBytes, bytesToBigint, concatBytes, equalBytes, fromBase64, fromHex, fromUtf8, toBase64, toHex, utf8 } from '../../../src/crypto/bytes.ts';
import { CryptoError } from '../../../src/crypto/errors.ts';
import { cryptoErrorCode } from './expect-crypto-error.ts';

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
    expect(cryptoErrorCode(() => fromHex('abc'))).toBe('bad-encoding');
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
    expect(cryptoErrorCode(() => fromUtf8(new Uint8Array([0xc3])))).toBe('bad-encoding');
    expect(() => fromUtf8(new Uint8Array([0xff]))).toThrow(/not valid UTF-8/);
  });
});

describe('big-endian integers', () => {
  it('reads bytes as an unsigned big-endian integer, matching Buffer hex', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
        const expected = b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b).toString('hex')}`);
        expect(bytesToBigint(b)).toBe(expected);
      }),
    );
    expect(bytesToBigint(new Uint8Array([0x00, 0x01, 0x00]))).toBe(256n);
  });

  it('writes exactly `length` bytes, left-padded, and round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 80 }), (b) => {
        expect(bigintToBytes(bytesToBigint(b), b.length)).toEqual(b);
      }),
    );
    expect([...bigintToBytes(0x0102n, 4)]).toEqual([0, 0, 1, 2]);
    expect([...bigintToBytes(0n, 2)]).toEqual([0, 0]);
  });

  it('writes the fewest bytes when no length is given (one zero byte for 0)', () => {
    expect([...bigintToBytes(0n)]).toEqual([0]);
    expect([...bigintToBytes(0xffn)]).toEqual([0xff]);
    expect([...bigintToBytes(0x100n)]).toEqual([1, 0]);
    expect([...bigintToBytes(0x10001n)]).toEqual([1, 0, 1]);
  });

  it('refuses negative integers and integers wider than `length`, naming the problem', () => {
    expect(() => bigintToBytes(-1n, 4)).toThrow(new RangeError('bigintToBytes: negative integer'));
    expect(() => bigintToBytes(0x10000n, 2)).toThrow(new RangeError('bigintToBytes: integer does not fit in 2 bytes'));
    expect(() => bigintToBytes(0n, 0)).toThrow(/does not fit in 0 bytes/);
  });
});
