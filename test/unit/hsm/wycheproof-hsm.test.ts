/**
 * Wycheproof vectors driven through HSM requests, the way a CloudHSM user would use them:
 * ECDSA P-256/SHA-256 (P1363) public keys imported as PEM and every signature checked with
 * `crypto.verify`; HMAC-SHA256 and AES-GCM keys brought in by unwrap (an AES key-encryption key
 * enters by RSA-OAEP from node:crypto, then each test key by RFC 5649 wrapped with OpenSSL) and
 * checked with `crypto.mac-verify`, `crypto.decrypt` and `crypto.encrypt`.
 * @module
 */
import { fileURLToPath } from 'node:url';
import { createCipheriv, publicEncrypt, constants as C } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { fromBase64, fromHex } from '../../../src/crypto/bytes.ts';
import type { Hsm } from '../../../src/hsm/hsm.ts';
import type { AnyRequest } from '../../../src/hsm/requests.ts';
import { activatedWorld, expectOk } from './fixtures.ts';

const DIR = fileURLToPath(new URL('../../vectors/wycheproof', import.meta.url));
type KeyJson = { 'key-reference': string; attributes: Record<string, unknown> };
interface Vector { tcId: number; result: 'valid' | 'invalid' | 'acceptable'; [k: string]: unknown }
interface Group { tests: Vector[]; [k: string]: unknown }

function load(name: string): Group[] {
  return (JSON.parse(readFileSync(`${DIR}/${name}`, 'utf8')) as { testGroups: Group[] }).testGroups;
}

function ref(key: KeyJson): string[] {
  return [`key-reference=${key['key-reference']}`];
}

/** Counts of outcomes; `acceptable` vectors may go either way. */
interface Tally { valid: number; invalid: number; acceptable: number; skipped: number }
const tally = (): Tally => ({ valid: 0, invalid: 0, acceptable: 0, skipped: 0 });

/**
 * A world where known secrets can be unwrapped: alice owns an AES-256 KEK whose bytes the test
 * knows, brought in by RSA-OAEP (node:crypto encrypts under the HSM's exported RSA public key).
 */
async function secretLoader(seed: string) {
  const w = await activatedWorld(seed);
  const rsa = expectOk<{ public_key: KeyJson; private_key: KeyJson }>(await w.hsm.handle({
    op: 'key.generate-asymmetric-pair', session: w.alice,
    args: { keyType: 'rsa', modulusSizeBits: 2048, publicExponent: '65537', publicLabel: 'p', privateLabel: 'q', privateAttributes: { unwrap: 'true' } },
  }));
  const pem = expectOk<{ pem: string }>(await w.hsm.handle({ op: 'key.export-pem', session: w.alice, args: { filter: ref(rsa.public_key) } })).pem;
  const kekBytes = Buffer.alloc(32, 0x5a);
  const kek = expectOk<{ key: KeyJson }>(await w.hsm.handle({
    op: 'key.unwrap', session: w.alice,
    args: {
      mechanism: 'rsa-oaep', filter: ref(rsa.private_key), keyTypeClass: 'aes', label: 'kek', hashFunction: 'sha256', mgf: 'sha256',
      data: publicEncrypt({ key: pem, padding: C.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, kekBytes), attributes: { unwrap: 'true' },
    },
  })).key;
  const cache = new Map<string, KeyJson>();
  async function secret(hex: string, keyTypeClass: 'aes' | 'generic-secret', attributes: Record<string, string>): Promise<KeyJson> {
    const cached = cache.get(`${keyTypeClass}:${hex}`);
    if (cached) return cached;
    const cipher = createCipheriv('id-aes256-wrap-pad', kekBytes, Buffer.from('a65959a6', 'hex'));
    const data = Buffer.concat([cipher.update(fromHex(hex)), cipher.final()]);
    const key = expectOk<{ key: KeyJson }>(await w.hsm.handle({
      op: 'key.unwrap', session: w.alice,
      args: { mechanism: 'aes-zero-pad', filter: ref(kek), keyTypeClass, label: `wp-${cache.size}`, data, attributes },
    })).key;
    cache.set(`${keyTypeClass}:${hex}`, key);
    return key;
  }
  return { ...w, secret };
}

async function outcome(hsm: Hsm, req: AnyRequest): Promise<boolean> {
  const env = await hsm.handle(req);
  if (env.error_code === 0) return true;
  expect(env.reason, env.data).toMatch(/^(verification-failed|bad-request)$/);
  return false;
}

function record(t: Tally, v: Vector, passed: boolean): void {
  if (v.result === 'acceptable') t.acceptable++;
  else {
    expect(passed, `tcId ${v.tcId} (${String(v['comment'])}) expected ${v.result}`).toBe(v.result === 'valid');
    t[v.result]++;
  }
}

describe('Wycheproof through HSM requests', () => {
  test('ECDSA secp256r1 SHA-256 P1363: imported public keys verify exactly the valid signatures', async () => {
    const w = await activatedWorld('wp-ecdsa');
    const t = tally();
    let group = 0;
    for (const g of load('ecdsa_secp256r1_sha256_p1363_test.json')) {
      const { key } = expectOk<{ key: KeyJson }>(await w.hsm.handle({
        op: 'key.import-pem', session: w.alice,
        args: { pem: String(g['publicKeyPem']), label: `wp-${group++}`, keyTypeClass: 'ec-public', attributes: { verify: 'true' } },
      }));
      for (const v of g.tests) {
        const passed = await outcome(w.hsm, {
          op: 'crypto.verify', session: w.bob,
          args: { mechanism: 'ecdsa', keyFilter: ref(key), hashFunction: 'sha256', data: fromHex(String(v['msg'])), signature: fromHex(String(v['sig'])) },
        });
        record(t, v, passed);
      }
    }
    console.log(`Wycheproof ECDSA P-256/SHA-256 via HSM: ${JSON.stringify(t)}`);
    expect(t.valid + t.invalid + t.acceptable).toBe(262);
    expect(t.valid).toBeGreaterThan(0);
    expect(t.invalid).toBeGreaterThan(0);
  }, 120_000);

  test('HMAC-SHA256: unwrapped generic secrets verify exactly the valid full-length tags', async () => {
    const w = await secretLoader('wp-hmac');
    const t = tally();
    for (const g of load('hmac_sha256_test.json')) {
      for (const v of g.tests) {
        const keyHex = String(v['key']);
        if (g['tagSize'] !== 256 || keyHex.length === 0) {
          t.skipped++; // truncated tags are not a CloudHSM MAC; generic secrets are 1..800 bytes
          continue;
        }
        const key = await w.secret(keyHex, 'generic-secret', {});
        const passed = await outcome(w.hsm, {
          op: 'crypto.mac-verify', session: w.alice,
          args: { keyFilter: ref(key), hashFunction: 'sha256', data: fromHex(String(v['msg'])), mac: fromHex(String(v['tag'])) },
        });
        record(t, v, passed);
        if (v.result === 'valid') {
          const mac = expectOk<{ mac: string }>(await w.hsm.handle({ op: 'crypto.mac-generate', session: w.alice, args: { keyFilter: ref(key), hashFunction: 'sha256', data: fromHex(String(v['msg'])) } })).mac;
          expect(fromBase64(mac)).toEqual(fromHex(String(v['tag'])));
        }
      }
    }
    console.log(`Wycheproof HMAC-SHA256 via HSM: ${JSON.stringify(t)}`);
    expect(t.valid).toBeGreaterThan(0);
    expect(t.invalid).toBeGreaterThan(0);
  }, 120_000);

  test('AES-GCM (96-bit IV, 128-bit tag): decrypt accepts exactly the valid cases; encrypt reproduces them', async () => {
    const w = await secretLoader('wp-gcm');
    const t = tally();
    for (const g of load('aes_gcm_test.json')) {
      if (g['ivSize'] !== 96 || g['tagSize'] !== 128) {
        t.skipped += g.tests.length;
        continue;
      }
      for (const v of g.tests) {
        const key = await w.secret(String(v['key']), 'aes', { encrypt: 'true', decrypt: 'true' });
        const iv = fromHex(String(v['iv']));
        const aad = fromHex(String(v['aad']));
        const sealed = fromHex(String(v['ct']) + String(v['tag']));
        const env = await w.hsm.handle({ op: 'crypto.decrypt', session: w.alice, args: { mechanism: 'aes-gcm', keyFilter: ref(key), data: sealed, iv, aad } });
        const passed = env.error_code === 0;
        if (!passed) expect(env.reason).toMatch(/^(verification-failed|bad-request)$/);
        record(t, v, passed);
        if (v.result === 'valid') {
          expect(fromBase64((env.data as { data: string }).data)).toEqual(fromHex(String(v['msg'])));
          const enc = expectOk<{ ciphertext: string }>(await w.hsm.handle({ op: 'crypto.encrypt', session: w.alice, args: { mechanism: 'aes-gcm', keyFilter: ref(key), data: fromHex(String(v['msg'])), iv, aad } }));
          expect(fromBase64(enc.ciphertext)).toEqual(sealed);
        }
      }
    }
    console.log(`Wycheproof AES-GCM via HSM: ${JSON.stringify(t)}`);
    expect(t.valid).toBeGreaterThan(0);
    expect(t.invalid).toBeGreaterThan(0);
  }, 120_000);
});
