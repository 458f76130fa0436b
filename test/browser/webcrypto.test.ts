/**
 * The WebCrypto engine in Chromium (where the HSM workers run): the realm is detected as
 * 'browser' and the browser row of the preference table applies; every Wycheproof AES-GCM and
 * P-256 ECDSA case gives noble's output and verdict; random inputs agree across engines; RSA
 * PKCS#1 v1.5 signatures are byte-identical to the BigInt engine's; seeded calls never use it.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import aesGcmJson from '../vectors/wycheproof/aes_gcm_test.json?raw';
import ecdsaP256Json from '../vectors/wycheproof/ecdsa_secp256r1_sha256_p1363_test.json?raw';
import { aesGcmDecryptAsync, aesGcmEncryptAsync, signEcdsa, signRsaPkcs1, signRsaPss, verifyEcdsa, verifyRsaPss } from '../../src/crypto/accelerated.ts';
import { aesGcmEncrypt } from '../../src/crypto/aes.ts';
import { toHex, utf8 } from '../../src/crypto/bytes.ts';
import { ecdsaSign, ecdsaVerify, ecGenerateKeyPair, type CurveId } from '../../src/crypto/ecdsa.ts';
import { engineFor, ENGINES_FOR, PREFERRED_BY_REALM, REALM, referenceEngine, SWITCHABLE_PRIMITIVES, useEngine } from '../../src/crypto/engines.ts';
import { seededRandom, systemRandom } from '../../src/crypto/random.ts';
import { rsaPkcs1Sign, rsaPssSign, rsaPssVerify } from '../../src/crypto/rsa.ts';
import { rsaSelfTestKey } from '../../src/crypto/self-test.ts';
import { webCryptoStats } from '../../src/crypto/webcrypto.ts';
import { aesGcmDifferential, ecdsaP256Differential } from '../unit/crypto/webcrypto-differential.ts';

const UNSEEDED = { deterministic: false } as const;
const WEB_PRIMITIVES = SWITCHABLE_PRIMITIVES.filter((p) => ENGINES_FOR[p].includes('webcrypto'));
const forceWebCrypto = () => WEB_PRIMITIVES.forEach((p) => useEngine(p, 'webcrypto'));

afterEach(() => SWITCHABLE_PRIMITIVES.forEach((p) => useEngine(p, 'auto')));

describe('WebCrypto engine in Chromium', () => {
  it('detects the browser realm and follows its row of the table (noble keeps P-384 / P-521 signing, 0.95x / 0.64x)', () => {
    expect(REALM).toBe('browser');
    expect(engineFor('ecdsa-p384-sign')).toBe('noble');
    expect(engineFor('ecdsa-p521-sign')).toBe('noble');
    expect(engineFor('ecdsa-p256-sign')).toBe('webcrypto');
    expect(engineFor('aes-gcm', { bytes: 64 })).toBe('webcrypto');
    for (const p of WEB_PRIMITIVES) expect(engineFor(p)).toBe(PREFERRED_BY_REALM.browser[p]);
    for (const p of WEB_PRIMITIVES) expect(engineFor(p, { deterministic: true })).toBe(referenceEngine(p));
  });

  it('aes_gcm_test.json: WebCrypto gives noble\'s output and verdict on every case it takes', async () => {
    forceWebCrypto();
    const report = await aesGcmDifferential(JSON.parse(aesGcmJson));
    console.log('aes_gcm webcrypto vs noble (Chromium):', JSON.stringify(report.counts));
    expect(report.mismatches).toEqual([]);
    expect(report.counts['invalid cases agree through webcrypto']).toBeGreaterThan(50);
    expect(Object.values(report.counts).reduce((a, b) => a + b, 0)).toBe(316);
  });

  it('ecdsa_secp256r1_sha256_p1363_test.json: WebCrypto\'s verdict equals noble\'s on every case', async () => {
    const report = await ecdsaP256Differential(JSON.parse(ecdsaP256Json));
    console.log('ecdsa P-256 p1363 webcrypto vs noble (Chromium):', JSON.stringify(report.counts));
    expect(report.mismatches).toEqual([]);
    expect(Object.values(report.counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(200);
  });

  it('random AES-GCM inputs give noble\'s bytes', async () => {
    forceWebCrypto();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(16, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
        fc.uint8Array({ minLength: 12, maxLength: 32 }),
        fc.uint8Array({ maxLength: 1500 }),
        fc.uint8Array({ maxLength: 40 }),
        fc.constantFrom(4, 8, 12, 16),
        async (key, iv, plaintext, aad, tagLength) => {
          const sealed = await aesGcmEncryptAsync(key, iv, plaintext, { aad, tagLength, ...UNSEEDED });
          expect(toHex(sealed)).toBe(toHex(aesGcmEncrypt(key, iv, plaintext, aad, tagLength)));
          expect(toHex(await aesGcmDecryptAsync(key, iv, sealed, { aad, tagLength, ...UNSEEDED }))).toBe(toHex(plaintext));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('ECDSA signatures cross-verify between WebCrypto and noble on P-256/384/521', async () => {
    forceWebCrypto();
    for (const curve of ['p256', 'p384', 'p521'] as CurveId[]) {
      const { privateKey, publicKey } = ecGenerateKeyPair(curve, systemRandom());
      const message = utf8(`message on ${curve}`);
      const web = await signEcdsa(curve, privateKey, message, { hash: 'sha256', ...UNSEEDED });
      expect(ecdsaVerify(curve, publicKey, message, web, { hash: 'sha256' })).toBe(true);
      const noble = ecdsaSign(curve, privateKey, message, { hash: 'sha384' });
      expect(await verifyEcdsa(curve, publicKey, message, noble, { hash: 'sha384', ...UNSEEDED })).toBe(true);
    }
  });

  it('RSA: PKCS#1 v1.5 byte-identical to BigInt, PSS cross-verifies, the key is imported once', async () => {
    forceWebCrypto();
    const key = rsaSelfTestKey();
    const pub = { n: key.n, e: key.e };
    const before = webCryptoStats.imports;
    for (const text of ['a', 'b', 'c']) {
      expect(toHex(await signRsaPkcs1(key, 'sha256', utf8(text), UNSEEDED))).toBe(toHex(rsaPkcs1Sign(key, 'sha256', utf8(text))));
    }
    expect(webCryptoStats.imports - before).toBe(1);
    const pss = await signRsaPss(key, 'sha512', utf8('pss'), { saltLength: 64, random: systemRandom(), ...UNSEEDED });
    expect(rsaPssVerify(pub, 'sha512', utf8('pss'), pss, { saltLength: 64 })).toBe(true);
    const bigint = rsaPssSign(key, 'sha512', utf8('pss'), { saltLength: 64, random: systemRandom() });
    expect(await verifyRsaPss(pub, 'sha512', utf8('pss'), bigint, { saltLength: 64, ...UNSEEDED })).toBe(true);
  });

  it('seeded calls stay on noble / BigInt and repeat byte for byte', async () => {
    forceWebCrypto();
    const before = webCryptoStats.imports;
    const { privateKey } = ecGenerateKeyPair('p256', seededRandom('browser'));
    const sig = await signEcdsa('p256', privateKey, utf8('x'), { hash: 'sha256', deterministic: true });
    expect(toHex(sig)).toBe(toHex(ecdsaSign('p256', privateKey, utf8('x'), { hash: 'sha256' })));
    const key = rsaSelfTestKey();
    const pss = await signRsaPss(key, 'sha256', utf8('x'), { saltLength: 32, random: seededRandom('s'), deterministic: true });
    expect(toHex(pss)).toBe(toHex(rsaPssSign(key, 'sha256', utf8('x'), { saltLength: 32, random: seededRandom('s') })));
    expect(webCryptoStats.imports).toBe(before);
  });
});
