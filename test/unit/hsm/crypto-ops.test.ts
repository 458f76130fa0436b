/**
 * Cryptographic operations of one HSM through `Hsm.handle`, cross-checked with node:crypto:
 * signatures made by the HSM verify outside it (ECDSA raw r‖s, RSA PKCS#1 v1.5, RSA-PSS), AES
 * ciphertexts decrypt outside it (the AES key is brought in by unwrap so its bytes are known),
 * HMACs and digests agree, and usage attributes are enforced.
 * @module
 */
import { createDecipheriv, createHash, createHmac, createPublicKey, publicEncrypt, constants as C, verify as nodeVerify } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { fromBase64, fromHex } from '../../../src/crypto/bytes.ts';
import type { Failure } from '../../../src/hsm/envelope.ts';
import type { Hsm } from '../../../src/hsm/hsm.ts';
import type { AnyRequest } from '../../../src/hsm/requests.ts';
import { activatedWorld, expectFail, expectOk } from './fixtures.ts';

type KeyJson = { 'key-reference': string; attributes: Record<string, any> };
const HASHES = ['sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const;

async function refused(hsm: Hsm, req: AnyRequest, reason: Failure['reason']): Promise<Failure> {
  const before = hsm.stateDigest();
  const f = expectFail(await hsm.handle(req), reason);
  expect(hsm.stateDigest()).toBe(before);
  return f;
}

function ref(k: KeyJson): string[] {
  return [`key-reference=${k['key-reference']}`];
}

async function pair(hsm: Hsm, session: string, args: Record<string, unknown>) {
  return expectOk<{ public_key: KeyJson; private_key: KeyJson }>(await hsm.handle({
    op: 'key.generate-asymmetric-pair', session,
    args: { publicLabel: 'pub', privateLabel: 'priv', publicAttributes: { verify: 'true' }, privateAttributes: { sign: 'true' }, ...args },
  } as unknown as AnyRequest));
}

async function exportPem(hsm: Hsm, session: string, key: KeyJson): Promise<string> {
  return expectOk<{ pem: string }>(await hsm.handle({ op: 'key.export-pem', session, args: { filter: ref(key) } })).pem;
}

/** Bring known secret bytes into the HSM: OAEP-encrypt them with node:crypto under an HSM RSA key, unwrap. */
async function importSecret(hsm: Hsm, session: string, bytes: Uint8Array, keyTypeClass: 'aes' | 'generic-secret', attributes: Record<string, string>): Promise<KeyJson> {
  const rsa = await pair(hsm, session, { keyType: 'rsa', modulusSizeBits: 2048, publicExponent: '65537', publicAttributes: {}, privateAttributes: { unwrap: 'true' } });
  const pem = await exportPem(hsm, session, rsa.public_key);
  const data = publicEncrypt({ key: pem, padding: C.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, bytes);
  return expectOk<{ key: KeyJson }>(await hsm.handle({
    op: 'key.unwrap', session,
    args: { mechanism: 'rsa-oaep', filter: ref(rsa.private_key), keyTypeClass, label: 'known', data, hashFunction: 'sha256', mgf: 'sha256', attributes },
  })).key;
}

describe('sign and verify (spec §4.7)', () => {
  test('ECDSA on every curve and hash: raw r‖s that node:crypto verifies; the HSM verifies it too', async () => {
    const w = await activatedWorld('ecdsa');
    const msg = new TextEncoder().encode('abc123');
    let checked = 0;
    for (const [curve, width] of [['secp224r1', 56], ['prime256v1', 64], ['secp384r1', 96], ['secp521r1', 132], ['secp256k1', 64]] as const) {
      const keys = await pair(w.hsm, w.alice, { keyType: 'ec', curve });
      const pem = await exportPem(w.hsm, w.alice, keys.public_key);
      for (const hash of HASHES) {
        const signed = expectOk<{ 'key-reference': string; signature: string }>(await w.hsm.handle({ op: 'crypto.sign', session: w.alice, args: { mechanism: 'ecdsa', keyFilter: ref(keys.private_key), hashFunction: hash, data: msg } }));
        expect(Object.keys(signed)).toEqual(['key-reference', 'signature']);
        const sig = fromBase64(signed.signature);
        expect(sig.length).toBe(width);
        expect(nodeVerify(hash, msg, { key: pem, dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
        // the same signature over the digest (--data-type digest)
        const d = createHash(hash).update(msg).digest();
        expect(expectOk(await w.hsm.handle({ op: 'crypto.verify', session: w.bob, args: { mechanism: 'ecdsa', keyFilter: ref(keys.public_key), hashFunction: hash, data: d, dataType: 'digest', signature: sig } }))).toEqual({ message: 'Signature verified successfully' });
        checked++;
      }
      const bad = await refused(w.hsm, { op: 'crypto.verify', session: w.alice, args: { mechanism: 'ecdsa', keyFilter: ref(keys.public_key), hashFunction: 'sha256', data: new Uint8Array([1]), signature: new Uint8Array(width) } }, 'verification-failed');
      expect(bad.data).toBe('Signature verification failed');
    }
    expect(checked).toBe(25);
  });

  test('RSA PKCS#1 v1.5 and PSS signatures verify with node:crypto; digest input accepted', async () => {
    const w = await activatedWorld('rsa-sign');
    const keys = await pair(w.hsm, w.alice, { keyType: 'rsa', modulusSizeBits: 2048, publicExponent: '65537' });
    const pem = await exportPem(w.hsm, w.alice, keys.public_key);
    const msg = new TextEncoder().encode('sign me');
    for (const hash of HASHES) {
      const p1 = fromBase64(expectOk<{ signature: string }>(await w.hsm.handle({ op: 'crypto.sign', session: w.alice, args: { mechanism: 'rsa-pkcs', keyFilter: ref(keys.private_key), hashFunction: hash, data: msg } })).signature);
      expect(nodeVerify(hash, msg, pem, p1)).toBe(true);
      const pss = fromBase64(expectOk<{ signature: string }>(await w.hsm.handle({ op: 'crypto.sign', session: w.alice, args: { mechanism: 'rsa-pkcs-pss', keyFilter: ref(keys.private_key), hashFunction: hash, mgf: hash, saltLength: 20, data: msg } })).signature);
      expect(nodeVerify(hash, msg, { key: pem, padding: C.RSA_PKCS1_PSS_PADDING, saltLength: 20 }, pss)).toBe(true);
      const digest = createHash(hash).update(msg).digest();
      expectOk(await w.hsm.handle({ op: 'crypto.verify', session: w.alice, args: { mechanism: 'rsa-pkcs-pss', keyFilter: ref(keys.public_key), hashFunction: hash, mgf: hash, saltLength: 20, data: digest, dataType: 'digest', signature: pss } }));
      expectOk(await w.hsm.handle({ op: 'crypto.verify', session: w.alice, args: { mechanism: 'rsa-pkcs', keyFilter: ref(keys.public_key), hashFunction: hash, data: digest, dataType: 'digest', signature: p1 } }));
    }
    await refused(w.hsm, { op: 'crypto.sign', session: w.alice, args: { mechanism: 'rsa-pkcs-pss', keyFilter: ref(keys.private_key), hashFunction: 'sha256', mgf: 'sha1', saltLength: 32, data: msg } }, 'bad-request');
    await refused(w.hsm, { op: 'crypto.sign', session: w.alice, args: { mechanism: 'ecdsa', keyFilter: ref(keys.private_key), hashFunction: 'sha256', data: msg } }, 'key-not-permitted');
  }, 60_000);

  test('the key needs sign / verify = true; public keys verify for everyone; admins cannot sign', async () => {
    const w = await activatedWorld('perm');
    const keys = await pair(w.hsm, w.alice, { keyType: 'ec', curve: 'prime256v1', publicAttributes: {}, privateAttributes: {} });
    const f = await refused(w.hsm, { op: 'crypto.sign', session: w.alice, args: { mechanism: 'ecdsa', keyFilter: ref(keys.private_key), hashFunction: 'sha256', data: new Uint8Array(3) } }, 'key-not-permitted');
    expect(f.data).toContain('"sign" attribute is false');
    await refused(w.hsm, { op: 'crypto.verify', session: w.bob, args: { mechanism: 'ecdsa', keyFilter: ref(keys.public_key), hashFunction: 'sha256', data: new Uint8Array(3), signature: new Uint8Array(64) } }, 'key-not-permitted');
    await refused(w.hsm, { op: 'crypto.sign', session: w.bob, args: { mechanism: 'ecdsa', keyFilter: ref(keys.private_key), hashFunction: 'sha256', data: new Uint8Array(3) } }, 'key-not-found');
    const a = await refused(w.hsm, { op: 'crypto.sign', session: w.admin, args: { mechanism: 'ecdsa', keyFilter: ref(keys.private_key), hashFunction: 'sha256', data: new Uint8Array(3) } }, 'permission-denied');
    expect(a.data).toBe('Permission denied: only a crypto user may sign');
  });
});

describe('encrypt and decrypt', () => {
  test('AES-GCM (HSM-drawn 96-bit IV), CBC and CTR ciphertexts decrypt with node:crypto and round-trip', async () => {
    const w = await activatedWorld('aes');
    const keyBytes = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const key = await importSecret(w.hsm, w.alice, keyBytes, 'aes', { encrypt: 'true', decrypt: 'true' });
    const msg = new TextEncoder().encode('attack at dawn, bring snacks');
    const aad = new TextEncoder().encode('header');
    const gcm = expectOk<{ 'key-reference': string; iv: string; ciphertext: string }>(await w.hsm.handle({ op: 'crypto.encrypt', session: w.alice, args: { mechanism: 'aes-gcm', keyFilter: ref(key), data: msg, aad } }));
    expect(Object.keys(gcm)).toEqual(['key-reference', 'iv', 'ciphertext']);
    expect(gcm.iv).toMatch(/^0x[0-9a-f]{24}$/);
    const ct = fromBase64(gcm.ciphertext);
    const d = createDecipheriv('aes-256-gcm', keyBytes, fromHex(gcm.iv));
    d.setAAD(aad);
    d.setAuthTag(ct.subarray(ct.length - 16));
    expect(Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]).toString()).toBe('attack at dawn, bring snacks');
    const back = expectOk<{ data: string }>(await w.hsm.handle({ op: 'crypto.decrypt', session: w.alice, args: { mechanism: 'aes-gcm', keyFilter: ref(key), data: ct, iv: fromHex(gcm.iv), aad } }));
    expect(new TextDecoder().decode(fromBase64(back.data))).toBe('attack at dawn, bring snacks');
    ct[0]! ^= 1;
    await refused(w.hsm, { op: 'crypto.decrypt', session: w.alice, args: { mechanism: 'aes-gcm', keyFilter: ref(key), data: ct, iv: fromHex(gcm.iv), aad } }, 'verification-failed');
    for (const [mechanism, nodeName] of [['aes-cbc', 'aes-256-cbc'], ['aes-ctr', 'aes-256-ctr']] as const) {
      const out = expectOk<{ iv: string; ciphertext: string }>(await w.hsm.handle({ op: 'crypto.encrypt', session: w.alice, args: { mechanism, keyFilter: ref(key), data: msg } }));
      const dec = createDecipheriv(nodeName, keyBytes, fromHex(out.iv));
      expect(Buffer.concat([dec.update(fromBase64(out.ciphertext)), dec.final()]).toString()).toBe('attack at dawn, bring snacks');
      const back2 = expectOk<{ data: string }>(await w.hsm.handle({ op: 'crypto.decrypt', session: w.alice, args: { mechanism, keyFilter: ref(key), data: fromBase64(out.ciphertext), iv: fromHex(out.iv) } }));
      expect(fromBase64(back2.data)).toEqual(msg);
    }
  });

  test('a fresh AES key may not encrypt (encrypt=false by default); non-AES keys are refused', async () => {
    const w = await activatedWorld('aes-perm');
    const k = expectOk<{ key: KeyJson }>(await w.hsm.handle({ op: 'key.generate-symmetric', session: w.alice, args: { keyType: 'aes', label: 'k', keyLengthBytes: 16 } })).key;
    const f = await refused(w.hsm, { op: 'crypto.encrypt', session: w.alice, args: { mechanism: 'aes-gcm', keyFilter: ref(k), data: new Uint8Array(4) } }, 'key-not-permitted');
    expect(f.data).toContain('"encrypt" attribute is false');
    const g = expectOk<{ key: KeyJson }>(await w.hsm.handle({ op: 'key.generate-symmetric', session: w.alice, args: { keyType: 'generic-secret', label: 'g', keyLengthBytes: 16, attributes: { encrypt: 'true' } } })).key;
    await refused(w.hsm, { op: 'crypto.encrypt', session: w.alice, args: { mechanism: 'aes-cbc', keyFilter: ref(g), data: new Uint8Array(4) } }, 'key-not-permitted');
  });
});

describe('MAC and digest (simulator extensions, spec §4.8)', () => {
  test('HMAC with a known generic secret matches node:crypto; verify and its failure message', async () => {
    const w = await activatedWorld('mac');
    const secret = new TextEncoder().encode('a generic secret of some length');
    const key = await importSecret(w.hsm, w.alice, secret, 'generic-secret', {});
    const data = new TextEncoder().encode('message');
    for (const hash of HASHES) {
      const out = expectOk<{ 'key-reference': string; mac: string }>(await w.hsm.handle({ op: 'crypto.mac-generate', session: w.alice, args: { keyFilter: ref(key), hashFunction: hash, data } }));
      expect(out.mac).toBe(createHmac(hash, secret).update(data).digest('base64'));
      expect(expectOk(await w.hsm.handle({ op: 'crypto.mac-verify', session: w.alice, args: { keyFilter: ref(key), hashFunction: hash, data, mac: fromBase64(out.mac) } }))).toEqual({ message: 'MAC verified successfully' });
    }
    const f = await refused(w.hsm, { op: 'crypto.mac-verify', session: w.alice, args: { keyFilter: ref(key), hashFunction: 'sha256', data, mac: new Uint8Array(32) } }, 'verification-failed');
    expect(f.data).toBe('MAC verification failed');
    expectOk(await w.hsm.handle({ op: 'key.set-attribute', session: w.alice, args: { filter: ref(key), name: 'sign', value: 'false' } }));
    await refused(w.hsm, { op: 'crypto.mac-generate', session: w.alice, args: { keyFilter: ref(key), hashFunction: 'sha256', data } }, 'key-not-permitted');
  });

  test('digest matches node:crypto for every hash', async () => {
    const w = await activatedWorld('digest');
    const data = new TextEncoder().encode('digest me');
    for (const hash of HASHES) {
      const out = expectOk<{ digest: string }>(await w.hsm.handle({ op: 'crypto.digest', session: w.alice, args: { hashFunction: hash, data } }));
      expect(out.digest).toBe(createHash(hash).update(data).digest('base64'));
    }
    await refused(w.hsm, { op: 'crypto.digest', session: w.alice, args: { hashFunction: 'md5' as never, data } }, 'bad-request');
  });
});

test('the signature an RSA key exported as PEM verifies is the modulus the HSM printed', async () => {
  const w = await activatedWorld('modulus');
  const keys = await pair(w.hsm, w.alice, { keyType: 'rsa', modulusSizeBits: 2048, publicExponent: '65537' });
  const jwk = createPublicKey(await exportPem(w.hsm, w.alice, keys.public_key)).export({ format: 'jwk' });
  expect(`0x${Buffer.from(jwk.n!, 'base64url').toString('hex')}`).toBe(keys.public_key.attributes.modulus);
});
