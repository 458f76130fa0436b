/**
 * The self-test in Node, and outside evidence for every value it pins: each known answer is
 * recomputed here with `node:crypto` (OpenSSL) or noble's independent argon2id, and the seeded
 * transcript's digest is pinned so the browser test can prove Chromium gives the same bytes.
 * @module
 */
import { argon2id } from '@noble/hashes/argon2.js';
import { createCipheriv, createECDH, createHash, createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, constants } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CURVES, type CurveId } from '../../../src/crypto/ecdsa.ts';
import {
  AES_VECTORS,
  DRBG_VECTOR,
  ECDSA_MESSAGE,
  ECDSA_VECTORS,
  HMAC_RFC4231_CASE2,
  PASSWORD_VECTOR,
  RSA_MESSAGE,
  RSA_VECTOR,
  SEEDED_TRANSCRIPT,
  SHA_ABC,
  seededTranscript,
  seededTranscriptDigest,
  selfTest,
} from '../../../src/crypto/self-test.ts';

const hex = (h: string) => Buffer.from(h, 'hex');
const b64url = (h: string) => hex(h).toString('base64url');

/**
 * A node:crypto public KeyObject from an uncompressed point 04‖X‖Y (JWK has no P-224, so: the
 * SPKI DER of a fresh OpenSSL key on the curve, with its point — the last bytes — replaced).
 */
function ecPublicKeyObject(curve: CurveId, point: Buffer) {
  const template = generateKeyPairSync('ec', { namedCurve: CURVES[curve].opensslName }).publicKey.export({ format: 'der', type: 'spki' });
  const spki = Buffer.concat([template.subarray(0, template.length - point.length), point]);
  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

/** SP 800-90A HMAC_DRBG (SHA-256), written again here on node:crypto as an independent check. */
function nodeHmacDrbg(entropy: Buffer, personalization: Buffer, n: number): Buffer {
  const h = (key: Buffer, ...parts: Buffer[]) => createHmac('sha256', key).update(Buffer.concat(parts)).digest();
  let key = Buffer.alloc(32, 0);
  let v = Buffer.alloc(32, 1);
  const update = (data: Buffer) => {
    key = h(key, v, Buffer.from([0]), data);
    v = h(key, v);
    if (data.length === 0) return;
    key = h(key, v, Buffer.from([1]), data);
    v = h(key, v);
  };
  update(Buffer.concat([entropy, personalization]));
  const out: Buffer[] = [];
  for (let got = 0; got < n; got += 32) out.push((v = h(key, v)));
  return Buffer.concat(out).subarray(0, n);
}

describe('selfTest() in Node', () => {
  it('passes every check, each primitive served by its engine', async () => {
    const results = await selfTest();
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results).toHaveLength(21);
    expect(new Set(results.map((r) => r.name)).size).toBe(results.length);
    for (const r of results) expect(r.ms).toBeGreaterThanOrEqual(0);
    // After initEngines(), digests and HMAC run on WebAssembly; argon2id always does.
    expect(results.find((r) => r.name === 'SHA-256')?.engine).toBe('hash-wasm');
    expect(results.find((r) => r.name.startsWith('HMAC-SHA256'))?.engine).toBe('hash-wasm');
    expect(results.find((r) => r.name.startsWith('Password'))?.engine).toBe('hash-wasm');
    for (const curve of ['secp224r1', 'P-256', 'P-384', 'P-521', 'secp256k1']) {
      expect(results.some((r) => r.name.startsWith(`ECDSA ${curve} `))).toBe(true);
    }
  });

  it('shows the HMAC it computed, equal to node:crypto', async () => {
    const results = await selfTest();
    const v = HMAC_RFC4231_CASE2;
    expect(results.find((r) => r.name.startsWith('HMAC-SHA256'))?.output).toBe(createHmac('sha256', v.key).update(v.data).digest('hex'));
  });
});

describe('the known answers agree with node:crypto', () => {
  it('SHA digests of "abc"', () => {
    for (const [hash, expected] of Object.entries(SHA_ABC)) expect(createHash(hash).update('abc').digest('hex'), hash).toBe(expected);
  });

  it('HMAC RFC 4231 case 2', () => {
    const v = HMAC_RFC4231_CASE2;
    expect(createHmac('sha256', v.key).update(v.data).digest('hex')).toBe(v.sha256);
    expect(createHmac('sha512', v.key).update(v.data).digest('hex')).toBe(v.sha512);
  });

  it('AES-GCM, CBC with PKCS#7, CTR, KW, KWP', () => {
    const run = (alg: string, key: string, iv: Buffer | null, data: string) => {
      const c = createCipheriv(alg, hex(key), iv);
      return Buffer.concat([c.update(hex(data)), c.final()]);
    };
    const g = AES_VECTORS.gcm;
    const gcm = createCipheriv('aes-256-gcm', hex(g.key), hex(g.iv));
    const sealed = Buffer.concat([gcm.update(hex(g.plaintext)), gcm.final(), gcm.getAuthTag()]);
    expect(sealed.toString('hex')).toBe(g.ciphertextAndTag);
    const { cbc, ctr, kw, kwp } = AES_VECTORS;
    expect(run('aes-128-cbc', cbc.key, hex(cbc.iv), cbc.plaintext).toString('hex')).toBe(cbc.ciphertext);
    expect(run('aes-128-ctr', ctr.key, hex(ctr.counter), ctr.plaintext).toString('hex')).toBe(ctr.ciphertext);
    expect(run('id-aes128-wrap', kw.kek, hex('a6a6a6a6a6a6a6a6'), kw.key).toString('hex')).toBe(kw.wrapped);
    expect(run('id-aes192-wrap-pad', kwp.kek, hex('a65959a6'), kwp.key).toString('hex')).toBe(kwp.wrapped);
  });

  it.each(ECDSA_VECTORS.map((v) => [v.label, v] as const))('%s: public key and signature', (_label, v) => {
    const ecdh = createECDH(CURVES[v.curve].opensslName);
    ecdh.setPrivateKey(hex(v.privateKey));
    const publicKey = ecPublicKeyObject(v.curve, ecdh.getPublicKey());
    const message = Buffer.from(ECDSA_MESSAGE);
    const signature = hex(v.signature);
    expect(verify(v.hash, message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    signature[3]! ^= 0x40;
    expect(verify(v.hash, message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(false);
  });

  it('RSA-2048 PKCS#1 v1.5: node:crypto makes the same signature with the same key', () => {
    const k = RSA_VECTOR.key;
    const jwk = { kty: 'RSA', n: b64url(k.n), e: b64url(k.e), d: b64url(k.d), p: b64url(k.p), q: b64url(k.q), dp: b64url(k.dp), dq: b64url(k.dq), qi: b64url(k.qi) };
    const key = createPrivateKey({ format: 'jwk', key: jwk });
    expect(sign('sha256', Buffer.from(RSA_MESSAGE), key).toString('hex')).toBe(RSA_VECTOR.signature);
  });

  it('argon2id: noble (pure JS) gives the hash pinned for hash-wasm', () => {
    const salt = nodeHmacDrbg(Buffer.from(DRBG_VECTOR.seed), Buffer.from('hsm-playground/seededRandom/v1'), 16);
    const v = PASSWORD_VECTOR;
    const out = argon2id(v.password, salt, { t: v.cost.iterations, m: v.cost.memoryKiB, p: v.cost.parallelism, dkLen: 32 });
    expect(Buffer.from(out).toString('hex')).toBe(v.hash);
  });

  it('seeded DRBG: an independent HMAC-DRBG on node:crypto gives the same first 32 bytes', () => {
    const out = nodeHmacDrbg(Buffer.from(DRBG_VECTOR.seed), Buffer.from('hsm-playground/seededRandom/v1'), 32);
    expect(out.toString('hex')).toBe(DRBG_VECTOR.first32);
  });
});

describe('seeded transcript', () => {
  it('has the pinned digest in Node (the browser test compares Chromium with it)', async () => {
    expect(await seededTranscriptDigest()).toBe(SEEDED_TRANSCRIPT.sha256);
  });

  it('changes with the seed', async () => {
    expect(await seededTranscriptDigest('another seed')).not.toBe(SEEDED_TRANSCRIPT.sha256);
  });

  it('holds real keys: node:crypto derives each EC public key and verifies each signature and the RSA-PSS one', async () => {
    const lines = new Map((await seededTranscript(SEEDED_TRANSCRIPT.seed)).map((l) => l.split('=') as [string, string]));
    const message = Buffer.from(ECDSA_MESSAGE);
    for (const curve of Object.keys(CURVES) as CurveId[]) {
      const ecdh = createECDH(CURVES[curve].opensslName);
      ecdh.setPrivateKey(hex(lines.get(`${curve}.private`)!));
      expect(ecdh.getPublicKey('hex'), curve).toBe(lines.get(`${curve}.public`));
      const key = ecPublicKeyObject(curve, ecdh.getPublicKey());
      expect(verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, hex(lines.get(`${curve}.signature`)!)), curve).toBe(true);
    }
    const p = BigInt(`0x${lines.get('rsa.p')}`);
    const q = BigInt(`0x${lines.get('rsa.q')}`);
    const n = (p * q).toString(16);
    const rsaPublic = createPublicKey({ format: 'jwk', key: { kty: 'RSA', n: b64url(n.length % 2 ? `0${n}` : n), e: 'AQAB' } });
    const pss = hex(lines.get('rsa.pss')!);
    expect(verify('sha256', message, { key: rsaPublic, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, pss)).toBe(true);
  });
});
