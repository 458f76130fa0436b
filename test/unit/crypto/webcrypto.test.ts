/**
 * The WebCrypto accelerations in Node: engine selection, agreement with the pure engines on the same
 * keys, and the Wycheproof differential shared with the Chromium test.
 * @module
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  aesGcmDecryptAsync,
  aesGcmEncryptAsync,
  ecdsaPrimitive,
  signEcdsa,
  signRsaPkcs1,
  signRsaPss,
  verifyEcdsa,
  verifyRsaPkcs1,
  verifyRsaPss,
} from '../../../src/crypto/accelerated.ts';
import { aesGcmDecrypt, aesGcmEncrypt } from '../../../src/crypto/aes.ts';
import { toHex, utf8 } from '../../../src/crypto/bytes.ts';
import { ecdsaSign, ecdsaVerify, ecGenerateKeyPair, type CurveId } from '../../../src/crypto/ecdsa.ts';
import {
  detectRealm,
  engineFor,
  ENGINES_FOR,
  PREFERRED_BY_REALM,
  REALM,
  referenceEngine,
  SWITCHABLE_PRIMITIVES,
  useEngine,
} from '../../../src/crypto/engines.ts';
import { CryptoError } from '../../../src/crypto/errors.ts';
import type { HashName } from '../../../src/crypto/hash.ts';
import { seededRandom, systemRandom } from '../../../src/crypto/random.ts';
import { rsaPkcs1Sign, rsaPkcs1Verify, rsaPssSign, rsaPssVerify } from '../../../src/crypto/rsa.ts';
import { rsaSelfTestKey } from '../../../src/crypto/self-test.ts';
import { webCryptoStats } from '../../../src/crypto/webcrypto.ts';
import { aesGcmDifferential, ecdsaP256Differential } from './webcrypto-differential.ts';
import { loadWycheproof } from './wycheproof.ts';

const UNSEEDED = { deterministic: false } as const;
const WEB_PRIMITIVES = SWITCHABLE_PRIMITIVES.filter((p) => ENGINES_FOR[p].includes('webcrypto'));
const forceWebCrypto = () => WEB_PRIMITIVES.forEach((p) => useEngine(p, 'webcrypto'));
const backToAuto = () => SWITCHABLE_PRIMITIVES.forEach((p) => useEngine(p, 'auto'));
const WEB_CURVES: readonly CurveId[] = ['p256', 'p384', 'p521'];
const WEB_HASHES: readonly HashName[] = ['sha1', 'sha256', 'sha384', 'sha512'];

afterEach(backToAuto);

/** The same failure (code and message) from both sides, or the same value. */
async function settle<T>(run: () => Promise<T> | T): Promise<string> {
  try {
    const value = await run();
    return value instanceof Uint8Array ? `ok ${toHex(value)}` : `ok ${String(value)}`;
  } catch (error) {
    return error instanceof CryptoError ? `${error.code}: ${error.message}` : `other: ${String(error)}`;
  }
}

describe('engine selection', () => {
  it('detects Node, and the table is the Node row', () => {
    expect(REALM).toBe('node');
    expect(detectRealm()).toBe('node');
    for (const p of SWITCHABLE_PRIMITIVES) expect(engineFor(p) === PREFERRED_BY_REALM.node[p] || engineFor(p) === referenceEngine(p)).toBe(true);
    expect(engineFor('ecdsa-p256-sign')).toBe('webcrypto');
    expect(engineFor('rsa-pkcs1-sign')).toBe('webcrypto');
  });

  it('seeded: the reference serves every primitive, even with WebCrypto forced', () => {
    for (const forced of [false, true]) {
      if (forced) forceWebCrypto();
      for (const p of SWITCHABLE_PRIMITIVES) {
        const engine = engineFor(p, { deterministic: true, bytes: 1 << 20 });
        expect(engine, p).not.toBe('webcrypto');
        if (ENGINES_FOR[p].includes('webcrypto')) expect(engine, p).toBe(referenceEngine(p));
      }
    }
    expect(WEB_PRIMITIVES.map(referenceEngine)).toEqual([...Array(7).fill('noble'), ...Array(4).fill('bigint')]);
  });

  it('AES-GCM in Node: noble under 512 bytes (WebCrypto 0.8x at 64 B), WebCrypto from there; Chromium keeps noble for P-384/P-521 signing', () => {
    expect(engineFor('aes-gcm', { deterministic: false, bytes: 64 })).toBe('noble');
    expect(engineFor('aes-gcm', { deterministic: false, bytes: 4096 })).toBe('webcrypto');
    expect(PREFERRED_BY_REALM.browser['ecdsa-p384-sign']).toBe('noble');
    expect(PREFERRED_BY_REALM.browser['ecdsa-p521-sign']).toBe('noble');
    expect(PREFERRED_BY_REALM.browser['aes-gcm']).toBe('webcrypto');
  });

  it('seeded calls through the facade never reach WebCrypto and repeat byte for byte', async () => {
    forceWebCrypto();
    const before = webCryptoStats.imports;
    const { privateKey, publicKey } = ecGenerateKeyPair('p256', seededRandom('facade'));
    const message = utf8('seeded');
    const sig = await signEcdsa('p256', privateKey, message, { hash: 'sha256', deterministic: true });
    expect(toHex(sig)).toBe(toHex(ecdsaSign('p256', privateKey, message, { hash: 'sha256' })));
    expect(await verifyEcdsa('p256', publicKey, message, sig, { hash: 'sha256', deterministic: true })).toBe(true);
    const rsa = rsaSelfTestKey();
    const pss = await signRsaPss(rsa, 'sha256', message, { saltLength: 32, random: seededRandom('pss'), deterministic: false });
    expect(toHex(pss)).toBe(toHex(rsaPssSign(rsa, 'sha256', message, { saltLength: 32, random: seededRandom('pss') })));
    const key = new Uint8Array(32).fill(7);
    const iv = new Uint8Array(12).fill(1);
    const big = new Uint8Array(4096).fill(3);
    expect(toHex(await aesGcmEncryptAsync(key, iv, big, { deterministic: true }))).toBe(toHex(aesGcmEncrypt(key, iv, big)));
    expect(webCryptoStats.imports).toBe(before);
  });
});

describe('differential on Wycheproof', () => {
  it('aes_gcm_test.json: WebCrypto gives noble\'s output and verdict on every case it can take', async () => {
    forceWebCrypto();
    const report = await aesGcmDifferential(loadWycheproof('aes_gcm_test.json'));
    console.log('aes_gcm webcrypto vs noble (Node):', JSON.stringify(report.counts));
    expect(report.mismatches).toEqual([]);
    // 316 cases: 270 through WebCrypto; 16 with IVs of 8–11 or 257 bytes and 30 under 8 bytes go to noble.
    expect(report.counts['valid cases agree through webcrypto']).toBe(189);
    expect(report.counts['invalid cases agree through webcrypto']).toBe(81);
    expect(Object.values(report.counts).reduce((a, b) => a + b, 0)).toBe(316);
  });

  it('ecdsa_secp256r1_sha256_p1363_test.json: WebCrypto\'s verdict equals noble\'s on every case', async () => {
    const report = await ecdsaP256Differential(loadWycheproof('ecdsa_secp256r1_sha256_p1363_test.json'));
    console.log('ecdsa P-256 p1363 webcrypto vs noble (Node):', JSON.stringify(report.counts));
    expect(report.mismatches).toEqual([]);
    expect(Object.values(report.counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(200);
  });
});

describe('random inputs agree across engines', () => {
  it('AES-GCM: WebCrypto ciphertexts are noble\'s, byte for byte, and each engine opens the other\'s', async () => {
    forceWebCrypto();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(16, 24, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
        fc.uint8Array({ minLength: 8, maxLength: 40 }),
        fc.uint8Array({ maxLength: 1500 }),
        fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined }),
        fc.constantFrom(4, 8, 12, 13, 14, 15, 16),
        async (key, iv, plaintext, aad, tagLength) => {
          const web = await aesGcmEncryptAsync(key, iv, plaintext, { aad, tagLength, ...UNSEEDED });
          expect(toHex(web)).toBe(toHex(aesGcmEncrypt(key, iv, plaintext, aad, tagLength)));
          expect(toHex(aesGcmDecrypt(key, iv, web, aad, tagLength))).toBe(toHex(plaintext));
          expect(toHex(await aesGcmDecryptAsync(key, iv, web, { aad, tagLength, ...UNSEEDED }))).toBe(toHex(plaintext));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('ECDSA on P-256/384/521: WebCrypto signatures verify with noble, and noble\'s with WebCrypto', async () => {
    forceWebCrypto();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...WEB_CURVES), fc.constantFrom(...WEB_HASHES), fc.uint8Array({ maxLength: 300 }), async (curve, hash, message) => {
        const { privateKey, publicKey } = ecGenerateKeyPair(curve, systemRandom());
        const web = await signEcdsa(curve, privateKey, message, { hash, ...UNSEEDED });
        expect(ecdsaVerify(curve, publicKey, message, web, { hash })).toBe(true);
        const noble = ecdsaSign(curve, privateKey, message, { hash });
        expect(await verifyEcdsa(curve, publicKey, message, noble, { hash, ...UNSEEDED })).toBe(true);
        const altered = noble.slice();
        altered[altered.length - 1]! ^= 1;
        expect(await verifyEcdsa(curve, publicKey, message, altered, { hash, ...UNSEEDED })).toBe(false);
      }),
      { numRuns: 24 },
    );
  });

  it('RSA: PKCS#1 v1.5 signatures are byte-identical; PSS signatures cross-verify with the BigInt engine', async () => {
    forceWebCrypto();
    const key = rsaSelfTestKey();
    const pub = { n: key.n, e: key.e };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...WEB_HASHES), fc.uint8Array({ maxLength: 200 }), fc.constantFrom(0, 20, 32, 64), async (hash, message, saltLength) => {
        const pkcs1 = await signRsaPkcs1(key, hash, message, UNSEEDED);
        expect(toHex(pkcs1)).toBe(toHex(rsaPkcs1Sign(key, hash, message)));
        expect(await verifyRsaPkcs1(pub, hash, message, pkcs1, UNSEEDED)).toBe(true);
        const pss = await signRsaPss(key, hash, message, { saltLength, random: systemRandom(), ...UNSEEDED });
        expect(rsaPssVerify(pub, hash, message, pss, { saltLength })).toBe(true);
        const bigintPss = rsaPssSign(key, hash, message, { saltLength, random: systemRandom() });
        expect(await verifyRsaPss(pub, hash, message, bigintPss, { saltLength, ...UNSEEDED })).toBe(true);
        expect(await verifyRsaPss(pub, hash, message, bigintPss, { saltLength: saltLength + 1, ...UNSEEDED })).toBe(false);
      }),
      { numRuns: 12 },
    );
  });
});

describe('the CryptoKey cache', () => {
  it('imports once per key object and algorithm, however many calls', async () => {
    forceWebCrypto();
    const { privateKey, publicKey } = ecGenerateKeyPair('p256', systemRandom());
    const before = webCryptoStats.imports;
    for (let i = 0; i < 5; i++) {
      const sig = await signEcdsa('p256', privateKey, utf8(`m${i}`), { hash: 'sha256', ...UNSEEDED });
      expect(await verifyEcdsa('p256', publicKey, utf8(`m${i}`), sig, { hash: 'sha256', ...UNSEEDED })).toBe(true);
    }
    expect(webCryptoStats.imports - before).toBe(2);
    await signEcdsa('p256', privateKey.slice(), utf8('copy'), { hash: 'sha256', ...UNSEEDED });
    expect(webCryptoStats.imports - before).toBe(3);

    const aes = new Uint8Array(16).fill(9);
    const start = webCryptoStats.imports;
    for (let i = 0; i < 4; i++) await aesGcmEncryptAsync(aes, new Uint8Array(12).fill(i), new Uint8Array(10), UNSEEDED);
    expect(webCryptoStats.imports - start).toBe(1);

    const rsa = rsaSelfTestKey();
    const rsaStart = webCryptoStats.imports;
    for (let i = 0; i < 3; i++) await signRsaPkcs1(rsa, 'sha256', utf8(`r${i}`), UNSEEDED);
    await signRsaPkcs1(rsa, 'sha384', utf8('other hash'), UNSEEDED);
    expect(webCryptoStats.imports - rsaStart).toBe(2); // an RSA CryptoKey is bound to one hash
  });
});

describe('errors and fallbacks match the reference', () => {
  it('a wrong GCM tag is auth-failed with noble\'s message; bad arguments give noble\'s errors', async () => {
    forceWebCrypto();
    const key = new Uint8Array(32).fill(1);
    const iv = new Uint8Array(12).fill(2);
    const sealed = aesGcmEncrypt(key, iv, new Uint8Array(2000));
    sealed[5]! ^= 1;
    const viaFacade = await settle(() => aesGcmDecryptAsync(key, iv, sealed, UNSEEDED));
    expect(viaFacade).toMatch(/^auth-failed: /);
    expect(viaFacade).toBe(await settle(() => aesGcmDecrypt(key, iv, sealed)));
    const cases: [Uint8Array, Uint8Array, Uint8Array, number][] = [
      [new Uint8Array(15), iv, sealed, 16],
      [key, new Uint8Array(4), sealed, 16],
      [key, iv, sealed, 11],
      [key, iv, new Uint8Array(3), 16],
    ];
    for (const [k, v, data, tagLength] of cases) {
      const expected = await settle(() => aesGcmDecrypt(k, v, data, undefined, tagLength));
      expect(expected).not.toMatch(/^ok/);
      expect(await settle(() => aesGcmDecryptAsync(k, v, data, { tagLength, ...UNSEEDED }))).toBe(expected);
      expect(await settle(() => aesGcmEncryptAsync(k, v, data, { tagLength, ...UNSEEDED }))).toBe(await settle(() => aesGcmEncrypt(k, v, data, undefined, tagLength)));
    }
  });

  it('verify resolves false for malformed signatures and refuses a bad public key like noble', async () => {
    forceWebCrypto();
    const { privateKey, publicKey } = ecGenerateKeyPair('p384', systemRandom());
    const message = utf8('x');
    for (const sig of [new Uint8Array(0), new Uint8Array(96), new Uint8Array(97).fill(0xff), 'nope' as unknown as Uint8Array]) {
      expect(await verifyEcdsa('p384', publicKey, message, sig, { hash: 'sha384', ...UNSEEDED })).toBe(false);
    }
    const offCurve = publicKey.slice();
    offCurve[offCurve.length - 1]! ^= 1;
    const expected = await settle(() => ecdsaVerify('p384', offCurve, message, new Uint8Array(96), { hash: 'sha384' }));
    expect(expected).toMatch(/^bad-point: /);
    expect(await settle(() => verifyEcdsa('p384', offCurve, message, new Uint8Array(96), { hash: 'sha384', ...UNSEEDED }))).toBe(expected);
    const badScalar = new Uint8Array(48);
    expect(await settle(() => signEcdsa('p384', badScalar, message, { hash: 'sha384', ...UNSEEDED }))).toBe(
      await settle(() => ecdsaSign('p384', badScalar, message, { hash: 'sha384' })),
    );
    expect(privateKey.length).toBe(48);
    const rsa = rsaSelfTestKey();
    const pub = { n: rsa.n, e: rsa.e };
    for (const sig of [new Uint8Array(0), new Uint8Array(256), new Uint8Array(256).fill(0xff), new Uint8Array(300)]) {
      expect(await verifyRsaPkcs1(pub, 'sha256', message, sig, UNSEEDED)).toBe(false);
      expect(await verifyRsaPss(pub, 'sha256', message, sig, { saltLength: 32, ...UNSEEDED })).toBe(false);
    }
    expect(await settle(() => verifyRsaPss(pub, 'sha256', message, new Uint8Array(256), { saltLength: 300, ...UNSEEDED }))).toBe(
      await settle(() => rsaPssVerify(pub, 'sha256', message, new Uint8Array(256), { saltLength: 300 })),
    );
  });

  it('inputs WebCrypto cannot take (SHA-224, prehashed, secp256k1/secp224r1) are served by the reference, identically', async () => {
    forceWebCrypto();
    const before = webCryptoStats.imports;
    const message = utf8('fallback');
    const { privateKey } = ecGenerateKeyPair('p256', seededRandom('fb'));
    expect(toHex(await signEcdsa('p256', privateKey, message, { hash: 'sha224', ...UNSEEDED }))).toBe(toHex(ecdsaSign('p256', privateKey, message, { hash: 'sha224' })));
    const digest = new Uint8Array(32).fill(5);
    expect(toHex(await signEcdsa('p256', privateKey, digest, { hash: 'sha256', prehashed: true, ...UNSEEDED }))).toBe(
      toHex(ecdsaSign('p256', privateKey, digest, { hash: 'sha256', prehashed: true })),
    );
    expect(ecdsaPrimitive('secp256k1', 'sign')).toBeUndefined();
    expect(ecdsaPrimitive('secp224r1', 'verify')).toBeUndefined();
    const k1 = ecGenerateKeyPair('secp256k1', seededRandom('k1'));
    expect(toHex(await signEcdsa('secp256k1', k1.privateKey, message, { hash: 'sha256', ...UNSEEDED }))).toBe(
      toHex(ecdsaSign('secp256k1', k1.privateKey, message, { hash: 'sha256' })),
    );
    const rsa = rsaSelfTestKey();
    expect(toHex(await signRsaPkcs1(rsa, 'sha224', message, UNSEEDED))).toBe(toHex(rsaPkcs1Sign(rsa, 'sha224', message)));
    expect(toHex(await signRsaPkcs1(rsa, 'sha256', digest, { prehashed: true, ...UNSEEDED }))).toBe(toHex(rsaPkcs1Sign(rsa, 'sha256', digest, { prehashed: true })));
    expect(rsaPkcs1Verify(rsa, 'sha256', digest, await signRsaPkcs1(rsa, 'sha256', digest, { prehashed: true, ...UNSEEDED }), { prehashed: true })).toBe(true);
    expect(webCryptoStats.imports).toBe(before);
  });
});
