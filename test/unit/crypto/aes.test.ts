/**
 * AES modes (GCM, CBC, CTR, block, key wrap with and without padding): Wycheproof vectors,
 * agreement with node:crypto on random inputs, and the refusal code of every malformed call.
 * @module
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aesCbcDecrypt,
  aesCbcEncrypt,
  aesCtr,
  aesEncryptBlock,
  aesGcmDecrypt,
  aesGcmEncrypt,
  aesKeyUnwrap,
  aesKeyUnwrapPad,
  aesKeyWrap,
  aesKeyWrapPad,
  GCM_TAG_LENGTHS,
} from '../../../src/crypto/aes.ts';
import { concatBytes, fromHex, toHex } from '../../../src/crypto/bytes.ts';
import { cryptoErrorCode } from './expect-crypto-error.ts';
import { casesOf, hexField, loadWycheproof, Tally } from './wycheproof.ts';

const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);
const aesKey = fc.constantFrom(16, 24, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
const bytes16 = fc.uint8Array({ minLength: 16, maxLength: 16 });
const data = fc.uint8Array({ maxLength: 300 });
const bits = (key: Uint8Array): number => key.length * 8;

describe('AES-GCM', () => {
  it('passes every Wycheproof aes_gcm case (short IVs refused as documented)', () => {
    const file = loadWycheproof('aes_gcm_test.json');
    const tally = new Tally('aes_gcm');
    for (const { group, test } of casesOf(file)) {
      const [key, iv, aad, msg, ct, tag] = ['key', 'iv', 'aad', 'msg', 'ct', 'tag'].map((f) => hexField(test, f)) as Uint8Array[] as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
      const tagLength = (group['tagSize'] as number) / 8;
      const sealed = concatBytes(ct, tag);
      if (iv.length < 8) {
        // SP 800-38D allows 1–7 byte IVs; we refuse them (GCM_MIN_IV_LENGTH). Empty IVs are invalid anyway.
        expect(cryptoErrorCode(() => aesGcmEncrypt(key, iv, msg, aad, tagLength))).toBe('bad-iv');
        expect(cryptoErrorCode(() => aesGcmDecrypt(key, iv, sealed, aad, tagLength))).toBe('bad-iv');
        tally.add(test.result === 'valid' ? 'short-IV refused as documented' : 'invalid (empty IV) refused');
        continue;
      }
      if (test.result === 'valid') {
        expect(toHex(aesGcmEncrypt(key, iv, msg, aad, tagLength)), `tcId ${test.tcId}`).toBe(toHex(sealed));
        expect(toHex(aesGcmDecrypt(key, iv, sealed, aad, tagLength)), `tcId ${test.tcId}`).toBe(toHex(msg));
        tally.add('valid passed');
      } else {
        // No "acceptable" cases in this file.
        expect(test.result).toBe('invalid');
        expect(cryptoErrorCode(() => aesGcmDecrypt(key, iv, sealed, aad, tagLength)), `tcId ${test.tcId}`).toBe('auth-failed');
        tally.add('invalid refused');
      }
    }
    console.log(tally.line());
    expect(tally.total()).toBe(file.numberOfTests);
    expect(tally.get('valid passed')).toBe(205);
    expect(tally.get('short-IV refused as documented')).toBe(24); // 1-, 2-, 4- and 6-byte IVs × 3 key sizes × 2
    expect(tally.get('invalid refused') + tally.get('invalid (empty IV) refused')).toBe(87);
  });

  it('agrees with node:crypto for random keys, IVs (8–64 bytes), AAD, data and every tag length', () => {
    fc.assert(
      fc.property(aesKey, fc.uint8Array({ minLength: 8, maxLength: 64 }), data, data, fc.constantFrom(...GCM_TAG_LENGTHS), (key, iv, pt, aad, tagLength) => {
        const cipher = createCipheriv(`aes-${bits(key)}-gcm` as `aes-${128 | 192 | 256}-gcm`, key, iv, { authTagLength: tagLength });
        cipher.setAAD(aad);
        const expected = concatBytes(u8(cipher.update(pt)), u8(cipher.final()), u8(cipher.getAuthTag()));
        const ours = aesGcmEncrypt(key, iv, pt, aad, tagLength);
        expect(toHex(ours)).toBe(toHex(expected));
        expect(toHex(aesGcmDecrypt(key, iv, ours, aad, tagLength))).toBe(toHex(pt));
      }),
      { numRuns: 150 },
    );
  });

  it('refuses any flipped bit in ciphertext, tag or AAD, also with truncated tags', () => {
    fc.assert(
      fc.property(aesKey, fc.uint8Array({ minLength: 12, maxLength: 12 }), data, fc.constantFrom(...GCM_TAG_LENGTHS), fc.nat(), (key, iv, pt, tagLength, where) => {
        const aad = new Uint8Array([1, 2, 3]);
        const sealed = aesGcmEncrypt(key, iv, pt, aad, tagLength);
        const flipped = sealed.slice();
        const bit = where % (flipped.length * 8);
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        expect(cryptoErrorCode(() => aesGcmDecrypt(key, iv, flipped, aad, tagLength))).toBe('auth-failed');
        expect(cryptoErrorCode(() => aesGcmDecrypt(key, iv, sealed, new Uint8Array([1, 2, 4]), tagLength))).toBe('auth-failed');
      }),
      { numRuns: 100 },
    );
  });

  it('names what is wrong in malformed input', () => {
    const key = new Uint8Array(16);
    const iv = new Uint8Array(12);
    expect(() => aesGcmEncrypt(new Uint8Array(15), iv, new Uint8Array())).toThrow(/AES-GCM key must be 16, 24 or 32 bytes, got 15/);
    expect(() => aesGcmEncrypt(key, new Uint8Array(7), new Uint8Array())).toThrow(/IV must be at least 8 bytes .* got 7/);
    expect(() => aesGcmEncrypt(key, new Uint8Array(0), new Uint8Array())).toThrow(/IV must not be empty/);
    expect(() => aesGcmEncrypt(key, iv, new Uint8Array(), undefined, 11)).toThrow(/tag length must be one of .* got 11/);
    expect(cryptoErrorCode(() => aesGcmDecrypt(key, iv, new Uint8Array(15)))).toBe('bad-tag');
    expect(() => aesGcmDecrypt(key, iv, new Uint8Array(15))).toThrow(/at least the 16-byte tag, got 15 bytes/);
    expect(() => aesGcmEncrypt(key, iv, 'text' as unknown as Uint8Array)).toThrow(/plaintext must be a Uint8Array/);
  });
});

describe('AES-CBC (PKCS#7)', () => {
  it('passes every Wycheproof aes_cbc_pkcs5 case', () => {
    const file = loadWycheproof('aes_cbc_pkcs5_test.json');
    const tally = new Tally('aes_cbc_pkcs5');
    for (const { test } of casesOf(file)) {
      const [key, iv, msg, ct] = ['key', 'iv', 'msg', 'ct'].map((f) => hexField(test, f)) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
      if (test.result === 'valid') {
        expect(toHex(aesCbcEncrypt(key, iv, msg)), `tcId ${test.tcId}`).toBe(toHex(ct));
        expect(toHex(aesCbcDecrypt(key, iv, ct)), `tcId ${test.tcId}`).toBe(toHex(msg));
        tally.add('valid passed');
      } else {
        expect(test.result).toBe('invalid'); // no "acceptable" cases in this file
        expect(['bad-padding', 'bad-input']).toContain(cryptoErrorCode(() => aesCbcDecrypt(key, iv, ct)));
        tally.add('invalid refused');
      }
    }
    console.log(tally.line());
    expect(tally.get('valid passed')).toBe(72);
    expect(tally.get('invalid refused')).toBe(144);
  });

  it('agrees with node:crypto for random keys, IVs and data', () => {
    fc.assert(
      fc.property(aesKey, bytes16, data, (key, iv, pt) => {
        const cipher = createCipheriv(`aes-${bits(key)}-cbc`, key, iv);
        const expected = concatBytes(u8(cipher.update(pt)), u8(cipher.final()));
        expect(toHex(aesCbcEncrypt(key, iv, pt))).toBe(toHex(expected));
        expect(toHex(aesCbcDecrypt(key, iv, expected))).toBe(toHex(pt));
      }),
      { numRuns: 150 },
    );
  });

  it('names what is wrong in malformed input', () => {
    const key = new Uint8Array(32);
    expect(() => aesCbcEncrypt(key, new Uint8Array(12), new Uint8Array(1))).toThrow(/AES-CBC IV must be 16 bytes, got 12/);
    expect(() => aesCbcDecrypt(key, new Uint8Array(16), new Uint8Array(20))).toThrow(/positive multiple of 16 bytes, got 20/);
    expect(() => aesCbcDecrypt(key, new Uint8Array(16), new Uint8Array(0))).toThrow(/positive multiple of 16 bytes, got 0/);
    expect(() => aesCbcDecrypt(new Uint8Array(20), new Uint8Array(16), new Uint8Array(16))).toThrow(/key must be 16, 24 or 32 bytes, got 20/);
  });
});

describe('AES-CTR', () => {
  it('agrees with node:crypto, including counters about to wrap all 128 bits', () => {
    const nearWrap = fc.uint8Array({ minLength: 2, maxLength: 2 }).map((tail) => concatBytes(new Uint8Array(14).fill(0xff), tail));
    fc.assert(
      fc.property(aesKey, fc.oneof(bytes16, nearWrap), fc.uint8Array({ maxLength: 2000 }), (key, iv, pt) => {
        const cipher = createCipheriv(`aes-${bits(key)}-ctr`, key, iv);
        const expected = concatBytes(u8(cipher.update(pt)), u8(cipher.final()));
        const ours = aesCtr(key, iv, pt);
        expect(toHex(ours)).toBe(toHex(expected));
        expect(toHex(aesCtr(key, iv, ours))).toBe(toHex(pt));
      }),
      { numRuns: 150 },
    );
  });

  it('matches NIST SP 800-38A F.5.1 (CTR-AES128.Encrypt, first block)', () => {
    const key = fromHex('2b7e151628aed2a6abf7158809cf4f3c');
    const iv = fromHex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff');
    expect(toHex(aesCtr(key, iv, fromHex('6bc1bee22e409f96e93d7e117393172a')))).toBe('874d6191b620e3261bef6864990db6ce');
  });

  it('refuses a counter block that is not 16 bytes', () => {
    expect(() => aesCtr(new Uint8Array(16), new Uint8Array(12), new Uint8Array(1))).toThrow(/AES-CTR IV must be 16 bytes, got 12/);
  });
});

describe('AES key wrap (RFC 3394)', () => {
  it('matches RFC 3394 §4.1 and §4.6', () => {
    const kek128 = fromHex('000102030405060708090A0B0C0D0E0F');
    expect(toHex(aesKeyWrap(kek128, fromHex('00112233445566778899AABBCCDDEEFF')))).toBe('1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5');
    const kek256 = fromHex('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F');
    const key256 = fromHex('00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F');
    const wrapped = fromHex('28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21');
    expect(toHex(aesKeyWrap(kek256, key256))).toBe(toHex(wrapped));
    expect(toHex(aesKeyUnwrap(kek256, wrapped))).toBe(toHex(key256));
  });

  it('passes every Wycheproof aes_wrap case', () => {
    const file = loadWycheproof('aes_wrap_test.json');
    const tally = new Tally('aes_wrap');
    for (const { test } of casesOf(file)) {
      const [key, msg, ct] = ['key', 'msg', 'ct'].map((f) => hexField(test, f)) as [Uint8Array, Uint8Array, Uint8Array];
      if (test.result === 'valid') {
        expect(toHex(aesKeyWrap(key, msg)), `tcId ${test.tcId}`).toBe(toHex(ct));
        expect(toHex(aesKeyUnwrap(key, ct)), `tcId ${test.tcId}`).toBe(toHex(msg));
        tally.add('valid passed');
      } else if (test.result === 'acceptable') {
        // "ShortKey": wrapping an 8-byte key. RFC 3394 §2 requires n ≥ 2 64-bit blocks, so we
        // refuse both directions (8-byte keys go through aesKeyWrapPad instead).
        expect(test.flags).toContain('ShortKey');
        expect(cryptoErrorCode(() => aesKeyWrap(key, msg))).toBe('bad-input');
        expect(cryptoErrorCode(() => aesKeyUnwrap(key, ct))).toBe('bad-input');
        tally.add('acceptable refused (8-byte key, RFC 3394 needs ≥ 16)');
      } else {
        expect(['auth-failed', 'bad-input']).toContain(cryptoErrorCode(() => aesKeyUnwrap(key, ct)));
        tally.add('invalid refused');
      }
    }
    console.log(tally.line());
    expect(tally.get('valid passed')).toBe(36);
    expect(tally.get('invalid refused')).toBe(126);
  });

  it('agrees with node:crypto id-aes*-wrap for random KEKs and keys', () => {
    const keyData = fc.integer({ min: 2, max: 40 }).chain((n) => fc.uint8Array({ minLength: 8 * n, maxLength: 8 * n }));
    fc.assert(
      fc.property(aesKey, keyData, (kek, keyBytes) => {
        const cipher = createCipheriv(`id-aes${bits(kek)}-wrap`, kek, fromHex('A6A6A6A6A6A6A6A6'));
        const expected = concatBytes(u8(cipher.update(keyBytes)), u8(cipher.final()));
        expect(toHex(aesKeyWrap(kek, keyBytes))).toBe(toHex(expected));
        expect(toHex(aesKeyUnwrap(kek, expected))).toBe(toHex(keyBytes));
      }),
      { numRuns: 100 },
    );
  });

  it('names what is wrong in malformed input', () => {
    const kek = new Uint8Array(16);
    expect(() => aesKeyWrap(kek, new Uint8Array(20))).toThrow(/multiple of 8 bytes and at least 16, got 20; use aesKeyWrapPad/);
    expect(() => aesKeyUnwrap(kek, new Uint8Array(16))).toThrow(/multiple of 8 bytes and at least 24, got 16/);
    expect(() => aesKeyUnwrap(kek, new Uint8Array(24))).toThrow(/integrity check failed/);
    expect(() => aesKeyWrap(new Uint8Array(8), new Uint8Array(16))).toThrow(/KEK must be 16, 24 or 32 bytes, got 8/);
  });
});

describe('AES key wrap with padding (RFC 5649)', () => {
  it('matches RFC 5649 §6', () => {
    const kek = fromHex('5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8');
    expect(toHex(aesKeyWrapPad(kek, fromHex('c37b7e6492584340bed12207808941155068f738')))).toBe('138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a');
    expect(toHex(aesKeyWrapPad(kek, fromHex('466f7250617369')))).toBe('afbeb0f07dfbf5419200f2ccb50bb24f');
    expect(toHex(aesKeyUnwrapPad(kek, fromHex('afbeb0f07dfbf5419200f2ccb50bb24f')))).toBe('466f7250617369');
  });

  it('passes every Wycheproof aes_kwp case', () => {
    const file = loadWycheproof('aes_kwp_test.json');
    const tally = new Tally('aes_kwp');
    for (const { test } of casesOf(file)) {
      const [key, msg, ct] = ['key', 'msg', 'ct'].map((f) => hexField(test, f)) as [Uint8Array, Uint8Array, Uint8Array];
      if (test.result === 'valid') {
        expect(toHex(aesKeyWrapPad(key, msg)), `tcId ${test.tcId}`).toBe(toHex(ct));
        expect(toHex(aesKeyUnwrapPad(key, ct)), `tcId ${test.tcId}`).toBe(toHex(msg));
        tally.add('valid passed');
      } else {
        expect(test.result).toBe('invalid'); // no "acceptable" cases in this file
        expect(['auth-failed', 'bad-input']).toContain(cryptoErrorCode(() => aesKeyUnwrapPad(key, ct)));
        tally.add('invalid refused');
      }
    }
    console.log(tally.line());
    expect(tally.get('valid passed')).toBe(77);
    expect(tally.get('invalid refused')).toBe(177);
  });

  it('agrees with node:crypto id-aes*-wrap-pad for random KEKs and keys of any length', () => {
    fc.assert(
      fc.property(aesKey, fc.uint8Array({ minLength: 1, maxLength: 200 }), (kek, keyBytes) => {
        const cipher = createCipheriv(`id-aes${bits(kek)}-wrap-pad`, kek, fromHex('A65959A6'));
        const expected = concatBytes(u8(cipher.update(keyBytes)), u8(cipher.final()));
        expect(toHex(aesKeyWrapPad(kek, keyBytes))).toBe(toHex(expected));
        expect(toHex(aesKeyUnwrapPad(kek, expected))).toBe(toHex(keyBytes));
        const decipher = createDecipheriv(`id-aes${bits(kek)}-wrap-pad`, kek, fromHex('A65959A6'));
        expect(toHex(concatBytes(u8(decipher.update(expected)), u8(decipher.final())))).toBe(toHex(keyBytes));
      }),
      { numRuns: 100 },
    );
  });

  it('names what is wrong in malformed input', () => {
    const kek = new Uint8Array(32);
    expect(() => aesKeyWrapPad(kek, new Uint8Array(0))).toThrow(/must not be empty/);
    expect(() => aesKeyUnwrapPad(kek, new Uint8Array(12))).toThrow(/multiple of 8 bytes and at least 16, got 12/);
    expect(() => aesKeyUnwrapPad(kek, new Uint8Array(16))).toThrow(/integrity check failed/);
  });
});

describe('AES single block', () => {
  it('matches FIPS 197 C.1 and C.3, and gives the spec §5.2 check value input', () => {
    const pt = fromHex('00112233445566778899aabbccddeeff');
    expect(toHex(aesEncryptBlock(fromHex('000102030405060708090a0b0c0d0e0f'), pt))).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
    expect(toHex(aesEncryptBlock(fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'), pt))).toBe('8ea2b7ca516745bfeafc49904b496089');
    // FIPS 197 / AESAVS: AES-128 with the zero key on the zero block.
    expect(toHex(aesEncryptBlock(new Uint8Array(16), new Uint8Array(16)))).toBe('66e94bd4ef8a2c3b884cfa59ca342b2e');
  });

  it('refuses blocks that are not 16 bytes', () => {
    expect(() => aesEncryptBlock(new Uint8Array(16), new Uint8Array(17))).toThrow(/exactly 16 bytes, got 17/);
  });
});
