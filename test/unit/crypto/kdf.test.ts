/**
 * Key derivation: HKDF-SHA256 (RFC 5869 vectors, node:crypto agreement) and the NIST SP 800-108
 * counter-mode KDF (OpenSSL KBKDF outputs, block-by-block construction, argument checks).
 * @module
 */
import { createHmac, hkdfSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex, utf8 } from '../../../src/crypto/bytes.ts';
import { hkdfSha256, kdfCounterHmacSha256 } from '../../../src/crypto/kdf.ts';

describe('hkdfSha256', () => {
  it('matches RFC 5869 A.1 and A.3', () => {
    const ikm = new Uint8Array(22).fill(0x0b);
    expect(toHex(hkdfSha256(ikm, fromHex('000102030405060708090a0b0c'), fromHex('f0f1f2f3f4f5f6f7f8f9'), 42))).toBe(
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    );
    expect(toHex(hkdfSha256(ikm, new Uint8Array(), new Uint8Array(), 42))).toBe(
      '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    );
  });

  it('agrees with node:crypto hkdfSync on random inputs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.uint8Array({ maxLength: 80 }), fc.uint8Array({ maxLength: 80 }), fc.integer({ min: 1, max: 300 }), (ikm, salt, info, length) => {
        expect(toHex(hkdfSha256(ikm, salt, info, length))).toBe(Buffer.from(hkdfSync('sha256', ikm, salt, info, length)).toString('hex'));
      }),
      { numRuns: 100 },
    );
  });

  it('refuses lengths outside 1..8160', () => {
    expect(() => hkdfSha256(new Uint8Array(1), new Uint8Array(), new Uint8Array(), 8161)).toThrow(/HKDF-SHA256 output length must be an integer from 1 to 8160 bytes, got 8161/);
    expect(() => hkdfSha256(new Uint8Array(1), new Uint8Array(), new Uint8Array(), 0)).toThrow(/got 0/);
  });
});

describe('kdfCounterHmacSha256 (NIST SP 800-108 counter mode)', () => {
  // Pinned with OpenSSL 3.0: openssl kdf -keylen <L> -kdfopt mac:HMAC -kdfopt digest:SHA256
  //   -kdfopt hexkey:<key> -kdfopt hexsalt:<label> -kdfopt hexinfo:<context> KBKDF
  const OPENSSL: { key: string; label: string; context: string; out: string }[] = [
    { key: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', label: 'label', context: 'context', out: '303790cfe363abe9682dbfff5941f23b32addc96da72f4c7e5b20e9f59a4e570' },
    { key: '0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b', label: 'hsm-playground', context: 'backup', out: 'e362b432a91bf97d6982dcb119af0956bd9686768d93dd4a0d49b4b80c7ffaebc60f167c0efceda1fc72' },
    {
      key: 'ff',
      label: '',
      context: '',
      out: 'cb95a0090d069d694b9275fa64fa71aa11704212929adad7f815df526ed386c254d630f66bd6ca70fc017202dd7fcf50650ac7631e51c102314f78220a207fe1fdc2bb66cee6efc5fe99f738312fde5b8aab5d48f1f5f03119b070c2db03a6a51fe3d6cc',
    },
  ];

  it('matches OpenSSL KBKDF (counter mode, HMAC-SHA256) for 32, 42 and 100 bytes', () => {
    for (const v of OPENSSL) {
      expect(toHex(kdfCounterHmacSha256(fromHex(v.key), utf8(v.label), utf8(v.context), v.out.length / 2))).toBe(v.out);
    }
  });

  it('is the SP 800-108 construction, checked block by block with node:crypto HMAC', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 1, max: 130 }), (key, label, context, length) => {
        const be32 = (n: number): Uint8Array => new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
        const blocks: Uint8Array[] = [];
        for (let i = 1; i <= Math.ceil(length / 32); i++) {
          blocks.push(new Uint8Array(createHmac('sha256', key).update(concatBytes(be32(i), label, new Uint8Array([0]), context, be32(length * 8))).digest()));
        }
        expect(toHex(kdfCounterHmacSha256(key, label, context, length))).toBe(toHex(concatBytes(...blocks).subarray(0, length)));
      }),
      { numRuns: 100 },
    );
  });

  it('gives unrelated outputs for different lengths (L is bound in) and refuses bad arguments', () => {
    const key = new Uint8Array(32).fill(1);
    const short = kdfCounterHmacSha256(key, utf8('a'), utf8('b'), 16);
    const long = kdfCounterHmacSha256(key, utf8('a'), utf8('b'), 32);
    expect(toHex(long.subarray(0, 16))).not.toBe(toHex(short));
    expect(() => kdfCounterHmacSha256(new Uint8Array(), utf8('a'), utf8('b'), 16)).toThrow(/SP 800-108 key must not be empty/);
    expect(() => kdfCounterHmacSha256(key, utf8('a'), utf8('b'), 1.5)).toThrow(/SP 800-108 output length must be an integer/);
  });
});
