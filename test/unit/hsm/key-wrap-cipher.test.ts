/** AES key wrap as a cipher: RFC 3394 / RFC 5649 vectors, node:crypto cross-checks with caller IVs, and refusals. */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/crypto/bytes.ts';
import { CryptoError } from '../../../src/crypto/errors.ts';
import { aesKwDecrypt, aesKwEncrypt, aesKwpDecrypt, aesKwpEncrypt, DEFAULT_KW_IV } from '../../../src/hsm/key-wrap-cipher.ts';

const hex = (s: string) => fromHex(s.replace(/\s+/g, '').toLowerCase());

function nodeWrap(kek: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const c = createCipheriv(`id-aes${kek.length * 8}-wrap`, kek, iv);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}
function nodeUnwrap(kek: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const d = createDecipheriv(`id-aes${kek.length * 8}-wrap`, kek, iv);
  return new Uint8Array(Buffer.concat([d.update(data), d.final()]));
}

describe('aes-kw (RFC 3394)', () => {
  it('matches RFC 3394 §4.1 and §4.6 with the default IV', () => {
    const k128 = hex('000102030405060708090A0B0C0D0E0F');
    expect(toHex(aesKwEncrypt(k128, hex('00112233445566778899AABBCCDDEEFF')))).toBe('1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5');
    const k256 = hex('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F');
    const data = hex('00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F');
    const wrapped = aesKwEncrypt(k256, data);
    expect(toHex(wrapped)).toBe('28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21');
    expect(toHex(aesKwDecrypt(k256, wrapped))).toBe(toHex(data));
    expect(toHex(DEFAULT_KW_IV)).toBe('a6a6a6a6a6a6a6a6');
  });

  it('agrees with node:crypto id-aes*-wrap for caller IVs (both directions)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 24, 32),
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        fc.integer({ min: 2, max: 8 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        (keyLength, iv, blocks, keyBytes, dataBytes) => {
          const kek = keyBytes.slice(0, keyLength);
          const data = dataBytes.slice(0, 8 * blocks);
          const ours = aesKwEncrypt(kek, data, iv);
          expect(toHex(ours)).toBe(toHex(nodeWrap(kek, iv, data)));
          expect(toHex(aesKwDecrypt(kek, ours, iv))).toBe(toHex(data));
          expect(toHex(nodeUnwrap(kek, iv, ours))).toBe(toHex(data));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses the wrong IV, altered data, bad lengths and bad IV sizes', () => {
    const kek = new Uint8Array(16).fill(1);
    const iv = hex('0102030405060708');
    const wrapped = aesKwEncrypt(kek, new Uint8Array(24).fill(9), iv);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof CryptoError ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => aesKwDecrypt(kek, wrapped))).toBe('auth-failed');
    expect(code(() => aesKwDecrypt(kek, wrapped, hex('0102030405060709')))).toBe('auth-failed');
    const altered = wrapped.slice();
    altered[10] = (altered[10] ?? 0) ^ 1;
    expect(code(() => aesKwDecrypt(kek, altered, iv))).toBe('auth-failed');
    expect(code(() => aesKwEncrypt(kek, new Uint8Array(20)))).toBe('bad-input');
    expect(code(() => aesKwEncrypt(kek, new Uint8Array(8)))).toBe('bad-input');
    expect(code(() => aesKwDecrypt(kek, new Uint8Array(16)))).toBe('bad-input');
    expect(code(() => aesKwEncrypt(kek, new Uint8Array(16), new Uint8Array(16)))).toBe('bad-iv');
  });
});

describe('aes-kwp (RFC 5649)', () => {
  it('matches the RFC 5649 §6 vectors and round-trips', () => {
    const kek = hex('5840df6e29b02af1 ab493b705bf16ea1 ae8338f4dcc176a8');
    const twenty = hex('c37b7e6492584340 bed1220780894115 5068f738');
    expect(toHex(aesKwpEncrypt(kek, twenty))).toBe('138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a');
    expect(toHex(aesKwpEncrypt(kek, hex('466f7250617369')))).toBe('afbeb0f07dfbf5419200f2ccb50bb24f');
    expect(toHex(aesKwpDecrypt(kek, hex('afbeb0f07dfbf5419200f2ccb50bb24f')))).toBe('466f7250617369');
    expect(() => aesKwpDecrypt(kek, hex('afbeb0f07dfbf5419200f2ccb50bb24e'))).toThrow(CryptoError);
  });
});
