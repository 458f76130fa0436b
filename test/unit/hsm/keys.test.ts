/**
 * Keys of one HSM through `Hsm.handle`: generation and attribute defaults, check values, quorum
 * values and sharing at creation, session keys, ownership and sharing semantics, attribute
 * mutability, filters and the matched-N refusal, pagination, PEM import/export, and wrap/unwrap
 * round trips for every mechanism. Every refusal is also checked to leave the state digest as it was.
 * @module
 */
import { createCipheriv, createPublicKey, generateKeyPairSync, publicEncrypt, constants as cryptoConstants } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { fromBase64, fromHex } from '../../../src/crypto/bytes.ts';
import type { Failure } from '../../../src/hsm/envelope.ts';
import type { Hsm } from '../../../src/hsm/hsm.ts';
import { checkKeyLimits } from '../../../src/hsm/keys/creation.ts';
import { parseFilter, parseKeyReference } from '../../../src/hsm/keys/filter.ts';
import { pkcs5Pad, pkcs5Unpad } from '../../../src/hsm/keys/wrap.ts';
import { MODEL_LIMITS } from '../../../src/hsm/limits.ts';
import type { AnyRequest, WrapMechanism } from '../../../src/hsm/requests.ts';
import type { HsmState } from '../../../src/hsm/state.ts';
import { activatedWorld, expectFail, expectOk } from './fixtures.ts';

type KeyJson = { 'key-reference': string; 'key-info': Record<string, any>; attributes: Record<string, any> };

/** Send a request expected to be refused with `reason`; asserts the state digest did not move. */
async function refused(hsm: Hsm, req: AnyRequest, reason: Failure['reason']): Promise<Failure> {
  const before = hsm.stateDigest();
  const f = expectFail(await hsm.handle(req), reason);
  expect(hsm.stateDigest()).toBe(before);
  return f;
}

async function genAes(hsm: Hsm, session: string, label: string, args: Record<string, unknown> = {}): Promise<KeyJson> {
  const data = expectOk<{ key: KeyJson }>(
    await hsm.handle({ op: 'key.generate-symmetric', session, args: { keyType: 'aes', label, keyLengthBytes: 32, ...args } } as AnyRequest),
  );
  return data.key;
}

async function genPair(hsm: Hsm, session: string, args: Record<string, unknown>) {
  return expectOk<{ public_key: KeyJson; private_key: KeyJson }>(
    await hsm.handle({ op: 'key.generate-asymmetric-pair', session, args: { publicLabel: 'pub', privateLabel: 'priv', ...args } } as AnyRequest),
  );
}

function ref(k: KeyJson): string[] {
  return [`key-reference=${k['key-reference']}`];
}

async function list(hsm: Hsm, session: string, args: Record<string, unknown> = {}) {
  return expectOk<{ matched_keys: any[]; total_key_count: number; returned_key_count: number; next_token?: string }>(
    await hsm.handle({ op: 'key.list', session, args } as AnyRequest),
  );
}

describe('generation and attribute defaults (spec §3.4, §5.1)', () => {
  test('an AES key has the documented fields, order and surprising defaults', async () => {
    const w = await activatedWorld();
    const key = await genAes(w.hsm, w.alice, 'aes1', { keyLengthBytes: 24 });
    expect(key['key-reference']).toMatch(/^0x[0-9a-f]{16}$/);
    expect(Object.keys(key)).toEqual(['key-reference', 'key-info', 'attributes']);
    expect(key['key-info']).toEqual({
      'key-owners': [{ username: 'alice', 'key-coverage': 'full' }],
      'shared-users': [],
      'key-quorum-values': { 'manage-key-quorum-value': 0, 'use-key-quorum-value': 0 },
      'cluster-coverage': 'full',
    });
    expect(Object.keys(key.attributes)).toEqual([
      'key-type', 'label', 'id', 'check-value', 'class', 'encrypt', 'decrypt', 'token', 'always-sensitive', 'derive',
      'destroyable', 'extractable', 'local', 'modifiable', 'never-extractable', 'private', 'sensitive', 'sign', 'trusted',
      'unwrap', 'verify', 'wrap', 'wrap-with-trusted', 'key-length-bytes',
    ]);
    expect(key.attributes).toMatchObject({
      'key-type': 'aes', label: 'aes1', id: '', class: 'secret-key', encrypt: false, decrypt: false, token: true,
      'always-sensitive': true, sign: true, verify: true, wrap: false, unwrap: false, extractable: true, local: true,
      'never-extractable': false, sensitive: true, trusted: false, 'key-length-bytes': 24,
    });
    expect(key.attributes['check-value']).toMatch(/^0x[0-9a-f]{6}$/);
  });

  test('generic-secret keys take 1..800 bytes; AES only 16/24/32', async () => {
    const w = await activatedWorld();
    const g = expectOk<{ key: KeyJson }>(await w.hsm.handle({ op: 'key.generate-symmetric', session: w.alice, args: { keyType: 'generic-secret', label: 'g', keyLengthBytes: 800 } }));
    expect(g.key.attributes).toMatchObject({ 'key-type': 'generic-secret', 'key-length-bytes': 800, sign: true });
    for (const [keyType, len] of [['aes', 20], ['aes', 0], ['generic-secret', 0], ['generic-secret', 801]] as const) {
      const f = await refused(w.hsm, { op: 'key.generate-symmetric', session: w.alice, args: { keyType, label: 'x', keyLengthBytes: len } }, 'bad-request');
      expect(f.data).toContain('Invalid key length');
      expect(f.data).toBe(
        keyType === 'aes'
          ? `Invalid key length: an AES key must be 16, 24 or 32 bytes, got ${len}`
          : `Invalid key length: a generic-secret key must be 1 to 800 bytes, got ${len}`,
      );
    }
  });

  test('EC pairs on every curve: both halves share check value, id and ec-point; lengths mimic CloudHSM', async () => {
    const w = await activatedWorld();
    const expected = { secp224r1: 57, prime256v1: 65, secp256r1: 65, secp384r1: 97, secp521r1: 133, secp256k1: 65 } as const;
    for (const [curve, pointLength] of Object.entries(expected)) {
      const { public_key: pub, private_key: priv } = await genPair(w.hsm, w.alice, { keyType: 'ec', curve, privateAttributes: { id: 'pair-1', sign: 'true' } });
      expect(pub.attributes['check-value']).toBe(priv.attributes['check-value']);
      expect(pub.attributes['ec-point']).toBe(priv.attributes['ec-point']);
      expect(pub.attributes.id).toBe('pair-1');
      expect(priv.attributes.id).toBe('pair-1');
      expect(pub.attributes['key-length-bytes']).toBe(pointLength);
      expect(pub.attributes).toMatchObject({ class: 'public-key', sensitive: false, sign: false, verify: false, 'always-sensitive': false });
      expect(priv.attributes).toMatchObject({ class: 'private-key', sensitive: true, sign: true, 'always-sensitive': true });
      expect(Object.keys(pub.attributes).slice(-3)).toEqual(['key-length-bytes', 'ec-point', 'curve']);
    }
    const { private_key: p224 } = await genPair(w.hsm, w.alice, { keyType: 'ec', curve: 'secp224r1' });
    expect(p224.attributes['key-length-bytes']).toBe(122); // spec §3.4 observed value
    const f = await refused(w.hsm, { op: 'key.generate-asymmetric-pair', session: w.alice, args: { keyType: 'ec', curve: 'ed25519' as never, publicLabel: 'a', privateLabel: 'b' } }, 'bad-request');
    expect(f.data).toContain('Invalid curve');
  });

  test('RSA pairs: exponent, modulus and sizes; bad sizes and exponents are refused', async () => {
    const w = await activatedWorld();
    const { public_key: pub, private_key: priv } = await genPair(w.hsm, w.alice, { keyType: 'rsa', modulusSizeBits: 2048, publicExponent: '0x010001' });
    expect(pub.attributes).toMatchObject({ 'key-type': 'rsa', 'public-exponent': '0x010001', 'modulus-size-bits': 2048, 'key-length-bytes': 512 });
    expect(priv.attributes.modulus).toBe(pub.attributes.modulus);
    expect(priv.attributes['check-value']).toBe(pub.attributes['check-value']);
    expect(priv.attributes['key-length-bytes']).toBeGreaterThanOrEqual(1214);
    expect(priv.attributes['key-length-bytes']).toBeLessThanOrEqual(1219);
    expect(Object.keys(pub.attributes).slice(-4)).toEqual(['key-length-bytes', 'public-exponent', 'modulus', 'modulus-size-bits']);
    for (const args of [
      { modulusSizeBits: 1024, publicExponent: '65537' },
      { modulusSizeBits: 4104, publicExponent: '65537' },
      { modulusSizeBits: 2048, publicExponent: '3' },
      { modulusSizeBits: 2048, publicExponent: '65538' },
      { modulusSizeBits: 2048, publicExponent: 'abc' },
    ]) {
      await refused(w.hsm, { op: 'key.generate-asymmetric-pair', session: w.alice, args: { keyType: 'rsa', publicLabel: 'a', privateLabel: 'b', ...args } }, 'bad-request');
    }
  });

  test('--attributes: settable ones apply, read-only ones and bad values are refused', async () => {
    const w = await activatedWorld();
    const k = await genAes(w.hsm, w.alice, 'a', { attributes: { encrypt: 'true', decrypt: 'TRUE', sign: 'false', extractable: 'false' } });
    expect(k.attributes).toMatchObject({ encrypt: true, decrypt: true, sign: false, extractable: false, 'never-extractable': true });
    for (const attributes of [{ trusted: 'true' }, { 'check-value': '0x000000' }, { local: 'false' }, { sensitive: 'false' }] as Record<string, string>[]) {
      await refused(w.hsm, { op: 'key.generate-symmetric', session: w.alice, args: { keyType: 'aes', label: 'x', keyLengthBytes: 16, attributes } }, 'attribute-not-modifiable');
    }
    await refused(w.hsm, { op: 'key.generate-symmetric', session: w.alice, args: { keyType: 'aes', label: 'x', keyLengthBytes: 16, attributes: { encrypt: 'yes' } } }, 'bad-request');
    await refused(w.hsm, { op: 'key.generate-symmetric', session: w.alice, args: { keyType: 'aes', label: 'x', keyLengthBytes: 16, attributes: { colour: 'red' } } }, 'bad-request');
    await refused(w.hsm, { op: 'key.generate-symmetric', session: w.alice, args: { keyType: 'aes', label: 'x'.repeat(128), keyLengthBytes: 16 } }, 'bad-request');
  });
});

describe('quorum values and sharing at creation', () => {
  test('quorum values must be ≤ 8 and ≤ 1 + shared users; public keys stay 0/0 and unshared', async () => {
    const w = await activatedWorld();
    const k = await genAes(w.hsm, w.alice, 'q', { shareCryptoUsers: ['bob'], manageKeyQuorumValue: 2, useKeyQuorumValue: 1 });
    expect(k['key-info']['shared-users']).toEqual([{ username: 'bob', 'key-coverage': 'full' }]);
    expect(k['key-info']['key-quorum-values']).toEqual({ 'manage-key-quorum-value': 2, 'use-key-quorum-value': 1 });
    const f = await refused(w.hsm, { op: 'key.generate-symmetric', session: w.alice, args: { keyType: 'aes', label: 'x', keyLengthBytes: 16, useKeyQuorumValue: 2 } }, 'invalid-quorum-value');
    expect(f.data).toBe('Invalid quorum value provided.');
    await refused(w.hsm, { op: 'key.generate-symmetric', session: w.alice, args: { keyType: 'aes', label: 'x', keyLengthBytes: 16, shareCryptoUsers: ['bob'], manageKeyQuorumValue: 9 } }, 'invalid-quorum-value');
    const pair = await genPair(w.hsm, w.alice, { keyType: 'ec', curve: 'secp256k1', shareCryptoUsers: ['bob'], manageKeyQuorumValue: 2, useKeyQuorumValue: 2 });
    expect(pair.public_key['key-info']['shared-users']).toEqual([]);
    expect(pair.public_key['key-info']['key-quorum-values']).toEqual({ 'manage-key-quorum-value': 0, 'use-key-quorum-value': 0 });
    expect(pair.private_key['key-info']['key-quorum-values']).toEqual({ 'manage-key-quorum-value': 2, 'use-key-quorum-value': 2 });
  });

  test('a key with manage quorum 2 cannot be managed without approval', async () => {
    const w = await activatedWorld();
    const k = await genAes(w.hsm, w.alice, 'q', { shareCryptoUsers: ['bob'], manageKeyQuorumValue: 2 });
    const f = await refused(w.hsm, { op: 'key.delete', session: w.alice, args: { filter: ref(k) } }, 'quorum-required');
    expect(f.data).toBe('Quorum approval is required for this operation');
  });

  test('shares at creation must name existing crypto users', async () => {
    const w = await activatedWorld();
    await refused(w.hsm, { op: 'key.generate-symmetric', session: w.alice, args: { keyType: 'aes', label: 'x', keyLengthBytes: 16, shareCryptoUsers: ['nobody'] } }, 'user-not-found');
    await refused(w.hsm, { op: 'key.generate-symmetric', session: w.alice, args: { keyType: 'aes', label: 'x', keyLengthBytes: 16, shareCryptoUsers: ['admin'] } }, 'bad-request');
  });

  test('the model limits are enforced (asymmetric cap counts pair halves)', () => {
    const limits = { ...MODEL_LIMITS['hsm2m.medium'], maxKeys: 3, maxAsymmetricKeys: 2 };
    const key = (cls: string) => ({ handle: 1, owner: 'a', shared: [], manageKeyQuorumValue: 0, useKeyQuorumValue: 0, attributes: { class: cls }, material: new Uint8Array() });
    const state = { keys: [key('private-key')] } as unknown as HsmState;
    expect(() => checkKeyLimits({ state, limits }, 2, 0)).not.toThrow();
    expect(() => checkKeyLimits({ state, limits }, 3, 0)).toThrow('at most 3 keys');
    expect(() => checkKeyLimits({ state, limits }, 2, 2)).toThrow('at most 2 asymmetric keys');
  });
});

describe('session keys', () => {
  test('--session makes token=false keys visible only in their session; token can become true', async () => {
    const w = await activatedWorld();
    const k = await genAes(w.hsm, w.alice, 'sess', { session: true });
    expect(k.attributes.token).toBe(false);
    const { login } = await import('./fixtures.ts');
    const alice2 = await login(w.hsm, 'alice', 'crypto-user', 'crypto-pass-1');
    expect((await list(w.hsm, alice2)).total_key_count).toBe(0);
    expect((await list(w.hsm, w.alice)).total_key_count).toBe(1);
    await refused(w.hsm, { op: 'key.generate-symmetric', session: w.alice, args: { keyType: 'aes', label: 'x', keyLengthBytes: 16, session: true, attributes: { token: 'true' } } }, 'bad-request');
    expectOk(await w.hsm.handle({ op: 'key.set-attribute', session: w.alice, args: { filter: ref(k), name: 'token', value: 'true' } }));
    expect((await list(w.hsm, alice2)).total_key_count).toBe(1);
    await refused(w.hsm, { op: 'key.set-attribute', session: w.alice, args: { filter: ref(k), name: 'token', value: 'false' } }, 'attribute-not-modifiable');
  });
});

describe('ownership and sharing (spec §12.5)', () => {
  test('owners manage, shared users only use, others see nothing but public keys', async () => {
    const w = await activatedWorld();
    const k = await genAes(w.hsm, w.alice, 'shared', { attributes: { encrypt: 'true', decrypt: 'true' } });
    const pair = await genPair(w.hsm, w.alice, { keyType: 'ec', curve: 'prime256v1' });
    // bob sees only alice's public key
    expect((await list(w.hsm, w.bob)).matched_keys.map((m) => m['key-reference'])).toEqual([pair.public_key['key-reference']]);
    expectFail(await w.hsm.handle({ op: 'crypto.encrypt', session: w.bob, args: { mechanism: 'aes-cbc', keyFilter: ref(k), data: new Uint8Array(4) } }), 'key-not-found');
    expect(expectOk(await w.hsm.handle({ op: 'key.share', session: w.alice, args: { filter: ref(k), username: 'bob', role: 'crypto-user' } }))).toEqual({ message: 'Key shared successfully' });
    await refused(w.hsm, { op: 'key.share', session: w.alice, args: { filter: ref(k), username: 'bob', role: 'crypto-user' } }, 'bad-request');
    // bob may use it …
    expectOk(await w.hsm.handle({ op: 'crypto.encrypt', session: w.bob, args: { mechanism: 'aes-cbc', keyFilter: ref(k), data: new Uint8Array(4) } }));
    // … but not manage it
    for (const req of [
      { op: 'key.delete', session: w.bob, args: { filter: ref(k) } },
      { op: 'key.set-attribute', session: w.bob, args: { filter: ref(k), name: 'label', value: 'mine' } },
      { op: 'key.share', session: w.bob, args: { filter: ref(k), username: 'bob', role: 'crypto-user' } },
      { op: 'key.unshare', session: w.bob, args: { filter: ref(k), username: 'bob', role: 'crypto-user' } },
    ] as AnyRequest[]) {
      const f = await refused(w.hsm, req, 'permission-denied');
      expect(f.data).toMatch(/^Permission denied: only the key's owner may/);
    }
    expect(expectOk(await w.hsm.handle({ op: 'key.unshare', session: w.alice, args: { filter: ref(k), username: 'bob', role: 'crypto-user' } }))).toEqual({ message: 'Key unshared successfully' });
    await refused(w.hsm, { op: 'key.unshare', session: w.alice, args: { filter: ref(k), username: 'bob', role: 'crypto-user' } }, 'bad-request');
    expectFail(await w.hsm.handle({ op: 'crypto.encrypt', session: w.bob, args: { mechanism: 'aes-cbc', keyFilter: ref(k), data: new Uint8Array(4) } }), 'key-not-found');
  });

  test('public keys cannot be shared; only crypto users receive shares; delete answers and removes', async () => {
    const w = await activatedWorld();
    const pair = await genPair(w.hsm, w.alice, { keyType: 'ec', curve: 'secp384r1' });
    await refused(w.hsm, { op: 'key.share', session: w.alice, args: { filter: ref(pair.public_key), username: 'bob', role: 'crypto-user' } }, 'key-not-permitted');
    await refused(w.hsm, { op: 'key.share', session: w.alice, args: { filter: ref(pair.private_key), username: 'admin', role: 'admin' } }, 'bad-request');
    await refused(w.hsm, { op: 'key.share', session: w.alice, args: { filter: ref(pair.private_key), username: 'ghost', role: 'crypto-user' } }, 'user-not-found');
    const k = await genAes(w.hsm, w.alice, 'gone', { attributes: { destroyable: 'false' } });
    await refused(w.hsm, { op: 'key.delete', session: w.alice, args: { filter: ref(k) } }, 'key-not-permitted');
    expect(expectOk(await w.hsm.handle({ op: 'key.delete', session: w.alice, args: { filter: ref(pair.private_key) } }))).toEqual({ message: 'Key deleted successfully' });
    expectFail(await w.hsm.handle({ op: 'key.delete', session: w.alice, args: { filter: ref(pair.private_key) } }), 'key-not-found');
  });

  test('admins list every key (always as full objects) but cannot generate or use keys', async () => {
    const w = await activatedWorld();
    await genAes(w.hsm, w.alice, 'a');
    await genAes(w.hsm, w.bob, 'b');
    const l = await list(w.hsm, w.admin);
    expect(l.total_key_count).toBe(2);
    expect(l.matched_keys[0]).toHaveProperty('key-info');
    const f = await refused(w.hsm, { op: 'key.generate-symmetric', session: w.admin, args: { keyType: 'aes', label: 'x', keyLengthBytes: 16 } }, 'permission-denied');
    expect(f.data).toBe('Permission denied: only a crypto user may generate keys');
  });
});

describe('attribute changes (spec §5.1)', () => {
  test('free, one-way and read-only attributes', async () => {
    const w = await activatedWorld();
    const k = await genAes(w.hsm, w.alice, 'attrs');
    const set = (name: string, value: string) => w.hsm.handle({ op: 'key.set-attribute', session: w.alice, args: { filter: ref(k), name, value } });
    expect(expectOk(await set('encrypt', 'true'))).toEqual({ message: 'Attribute set successfully' });
    expectOk(await set('encrypt', 'false'));
    expectOk(await set('label', 'renamed'));
    expectOk(await set('id', 'abc'));
    for (const name of ['extractable', 'check-value', 'class', 'local', 'key-length-bytes', 'sensitive', 'private']) {
      await refused(w.hsm, { op: 'key.set-attribute', session: w.alice, args: { filter: ['attr.label=renamed'], name, value: 'false' } }, 'attribute-not-modifiable');
    }
    expectOk(await set('wrap-with-trusted', 'true'));
    await refused(w.hsm, { op: 'key.set-attribute', session: w.alice, args: { filter: ref(k), name: 'wrap-with-trusted', value: 'false' } }, 'attribute-not-modifiable');
    const t = await refused(w.hsm, { op: 'key.set-attribute', session: w.alice, args: { filter: ref(k), name: 'trusted', value: 'true' } }, 'permission-denied');
    expect(t.allowedRoles).toEqual(['admin']);
    expectOk(await set('modifiable', 'false'));
    const f = await refused(w.hsm, { op: 'key.set-attribute', session: w.alice, args: { filter: ref(k), name: 'label', value: 'again' } }, 'attribute-not-modifiable');
    expect(f.data).toContain('modifiable');
    await refused(w.hsm, { op: 'key.set-attribute', session: w.alice, args: { filter: ref(k), name: 'bogus', value: 'x' } }, 'bad-request');
  });

  test('only an admin marks a key trusted (key.set-trusted)', async () => {
    const w = await activatedWorld();
    const k = await genAes(w.hsm, w.alice, 'to-trust');
    await refused(w.hsm, { op: 'key.set-trusted', session: w.alice, args: { filter: ref(k), value: 'true' } }, 'permission-denied');
    expect(expectOk(await w.hsm.handle({ op: 'key.set-trusted', session: w.admin, args: { filter: ref(k), value: 'true' } }))).toEqual({ message: 'Attribute set successfully' });
    const l = await list(w.hsm, w.alice, { filter: ['attr.trusted=true'], verbose: true });
    expect(l.matched_keys.map((m) => m['key-reference'])).toEqual([k['key-reference']]);
  });

  test('id is changeable on hsm2m.medium only; derive not on RSA on hsm1.medium', async () => {
    const w = await activatedWorld('hsm1', { model: 'hsm1.medium' });
    const k = await genAes(w.hsm, w.alice, 'k');
    await refused(w.hsm, { op: 'key.set-attribute', session: w.alice, args: { filter: ref(k), name: 'id', value: '01' } }, 'attribute-not-modifiable');
    const pair = await genPair(w.hsm, w.alice, { keyType: 'rsa', modulusSizeBits: 2048, publicExponent: '65537' });
    await refused(w.hsm, { op: 'key.set-attribute', session: w.alice, args: { filter: ref(pair.private_key), name: 'derive', value: 'true' } }, 'attribute-not-modifiable');
    expectOk(await w.hsm.handle({ op: 'key.set-attribute', session: w.alice, args: { filter: ref(k), name: 'derive', value: 'true' } }));
  });
});

describe('filters (spec §3.3)', () => {
  test('key-reference in hex or decimal, attr terms ANDed, matched-N and not-found refusals', async () => {
    const w = await activatedWorld();
    const a = await genAes(w.hsm, w.alice, 'same', { attributes: { encrypt: 'true' } });
    await genAes(w.hsm, w.alice, 'same');
    await genAes(w.hsm, w.alice, 'other');
    const decimal = String(parseInt(a['key-reference'], 16));
    expect((await list(w.hsm, w.alice, { filter: [`key-reference=${decimal}`] })).matched_keys[0]['key-reference']).toBe(a['key-reference']);
    expect((await list(w.hsm, w.alice, { filter: ['attr.label=same'] })).total_key_count).toBe(2);
    expect((await list(w.hsm, w.alice, { filter: ['attr.label=same', 'attr.encrypt=true'] })).total_key_count).toBe(1);
    expect((await list(w.hsm, w.alice, { filter: ['attr.label=none'] }))).toEqual({ matched_keys: [], total_key_count: 0, returned_key_count: 0 });
    const m = await refused(w.hsm, { op: 'key.delete', session: w.alice, args: { filter: ['attr.key-type=aes'] } }, 'key-ambiguous');
    expect(m.data).toBe('Key selection criteria matched 3 keys. Refine selection criteria to select a single key.');
    const n = await refused(w.hsm, { op: 'key.delete', session: w.alice, args: { filter: ['attr.label=none'] } }, 'key-not-found');
    expect(n.data).toBe('Key not found');
    await refused(w.hsm, { op: 'key.delete', session: w.alice, args: { filter: ['label=same'] } }, 'bad-request');
    await refused(w.hsm, { op: 'key.delete', session: w.alice, args: { filter: ['attr.colour=red'] } }, 'bad-request');
  });

  test('parseFilter and parseKeyReference', () => {
    expect(parseKeyReference('0x00000000002e06bf')).toBe(0x2e06bf);
    expect(parseKeyReference('3016383')).toBe(3016383);
    expect(() => parseKeyReference('0xzz')).toThrow('Invalid key reference');
    expect(() => parseKeyReference('-1')).toThrow('Invalid key reference "-1": expected 0x followed by hex digits, or a decimal number');
    // well-formed but beyond any handle: say so, instead of claiming the hex is malformed
    expect(() => parseKeyReference('0x7fffffffffffffff')).toThrow('Invalid key reference "0x7fffffffffffffff": too large, no key reference is above 0x001fffffffffffff');
    expect(() => parseKeyReference('99999999999999999999999')).toThrow(/^Invalid key reference "99999999999999999999999": too large/);
    expect(parseFilter(['attr.label=a=b'])).toEqual([{ kind: 'attribute', name: 'label', value: 'a=b' }]);
    // a boolean attribute takes true or false, in any case; anything else is refused, not silently unmatched
    expect(parseFilter(['attr.sign=TRUE'])).toEqual([{ kind: 'attribute', name: 'sign', value: 'TRUE' }]);
    expect(() => parseFilter(['attr.sign=yes'])).toThrow('Invalid filter "attr.sign=yes": "sign" is true or false, got "yes"');
  });
});

describe('key list pagination', () => {
  test('max-items, next_token as offset, starting-token, verbose', async () => {
    const w = await activatedWorld();
    for (let i = 0; i < 12; i++) await genAes(w.hsm, w.alice, `k${i}`, { keyLengthBytes: 16 });
    const p1 = await list(w.hsm, w.alice);
    expect(p1).toMatchObject({ total_key_count: 12, returned_key_count: 10, next_token: '10' });
    expect(Object.keys(p1)).toEqual(['matched_keys', 'total_key_count', 'returned_key_count', 'next_token']);
    expect(p1.matched_keys[0]).toEqual({ 'key-reference': expect.stringMatching(/^0x/), attributes: { label: 'k0' } });
    const p2 = await list(w.hsm, w.alice, { startingToken: p1.next_token });
    expect(p2).toMatchObject({ total_key_count: 12, returned_key_count: 2 });
    expect(p2).not.toHaveProperty('next_token');
    const v = await list(w.hsm, w.alice, { maxItems: 5, startingToken: '5', verbose: true });
    expect(v).toMatchObject({ returned_key_count: 5, next_token: '10' });
    expect(v.matched_keys[0].attributes.label).toBe('k5');
    expect(v.matched_keys[0]).toHaveProperty('key-info');
    await refused(w.hsm, { op: 'key.list', session: w.alice, args: { maxItems: 0 } }, 'bad-request');
    await refused(w.hsm, { op: 'key.list', session: w.alice, args: { startingToken: 'abc' } }, 'bad-request');
  });
});

describe('PEM import and export', () => {
  test('an imported public key has local=false and the check value of SHA-1 over its SPKI; export gives it back', async () => {
    const w = await activatedWorld();
    for (const [type, keyTypeClass, opts] of [
      ['ec', 'ec-public', { namedCurve: 'P-384' }],
      ['rsa', 'rsa-public', { modulusLength: 2048 }],
    ] as const) {
      const { publicKey } = generateKeyPairSync(type as 'ec', opts as { namedCurve: string });
      const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
      const data = expectOk<{ key: KeyJson; message: string }>(await w.hsm.handle({ op: 'key.import-pem', session: w.alice, args: { pem, label: `imp-${type}`, keyTypeClass } }));
      expect(data.message).toBe('Successfully imported key');
      expect(data.key.attributes).toMatchObject({ class: 'public-key', local: false, 'key-type': type });
      const exported = expectOk<{ pem: string }>(await w.hsm.handle({ op: 'key.export-pem', session: w.bob, args: { filter: ref(data.key) } }));
      expect(exported.pem).toBe(pem);
    }
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    await refused(w.hsm, { op: 'key.import-pem', session: w.alice, args: { pem, label: 'x', keyTypeClass: 'rsa-public' } }, 'bad-request');
    await refused(w.hsm, { op: 'key.import-pem', session: w.alice, args: { pem: 'not a pem', label: 'x', keyTypeClass: 'ec-public' } }, 'bad-request');
  });

  test('the exported PEM of a generated pair is the key node:crypto reads, with matching ec-point', async () => {
    const w = await activatedWorld();
    const pair = await genPair(w.hsm, w.alice, { keyType: 'ec', curve: 'prime256v1' });
    const { pem } = expectOk<{ pem: string }>(await w.hsm.handle({ op: 'key.export-pem', session: w.alice, args: { filter: ref(pair.private_key) } }));
    const jwk = createPublicKey(pem).export({ format: 'jwk' });
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
    expect(`0x${point.toString('hex')}`).toBe(pair.public_key.attributes['ec-point']);
    const aes = await genAes(w.hsm, w.alice, 'secret');
    await refused(w.hsm, { op: 'key.export-pem', session: w.alice, args: { filter: ref(aes) } }, 'key-not-permitted');
  });
});

describe('wrap and unwrap (spec §4.6)', () => {
  async function wrapWorld() {
    const w = await activatedWorld('wrap-world');
    const kek = await genAes(w.hsm, w.alice, 'kek', { attributes: { wrap: 'true', unwrap: 'true' } });
    const rsa = await genPair(w.hsm, w.alice, {
      keyType: 'rsa', modulusSizeBits: 2048, publicExponent: '65537',
      publicAttributes: { wrap: 'true' }, privateAttributes: { unwrap: 'true' },
    });
    return { ...w, kek, rsa };
  }

  test('every mechanism round-trips AES, generic-secret and EC private payloads with the same check value', async () => {
    const w = await wrapWorld();
    const aes = await genAes(w.hsm, w.alice, 'payload-aes');
    const generic = expectOk<{ key: KeyJson }>(await w.hsm.handle({ op: 'key.generate-symmetric', session: w.alice, args: { keyType: 'generic-secret', label: 'payload-gs', keyLengthBytes: 21 } })).key;
    const ec = (await genPair(w.hsm, w.alice, { keyType: 'ec', curve: 'secp256k1' })).private_key;
    const mechanisms: WrapMechanism[] = ['aes-gcm', 'cloudhsm-aes-gcm', 'aes-no-pad', 'aes-pkcs5-pad', 'aes-zero-pad', 'rsa-aes', 'rsa-oaep', 'rsa-pkcs'];
    let roundTrips = 0;
    for (const mechanism of mechanisms) {
      const rsaMech = mechanism.startsWith('rsa');
      const wrapping = rsaMech ? w.rsa.public_key : w.kek;
      const unwrapping = rsaMech ? w.rsa.private_key : w.kek;
      const payloads: [KeyJson, string][] = [[aes, 'aes'], [generic, 'generic-secret'], [ec, 'ec-private']];
      for (const [payload, keyTypeClass] of payloads) {
        const unaligned = mechanism === 'aes-no-pad' && payload !== aes;
        const params = { tagLengthBits: mechanism.includes('gcm') ? 128 : undefined, hashFunction: rsaMech ? 'sha256' : undefined, mgf: rsaMech ? 'sha256' : undefined };
        const wrapReq = { op: 'key.wrap', session: w.alice, args: { mechanism, payloadFilter: ref(payload), wrappingFilter: ref(wrapping), ...params } } as AnyRequest;
        if (unaligned) {
          await refused(w.hsm, wrapReq, 'bad-request');
          continue;
        }
        const wrapped = expectOk<Record<string, string>>(await w.hsm.handle(wrapReq));
        expect(Object.keys(wrapped)).toEqual(mechanism === 'aes-gcm'
          ? ['payload_key_reference', 'wrapping_key_reference', 'iv', 'wrapped_key_data']
          : ['payload_key_reference', 'wrapping_key_reference', 'wrapped_key_data']);
        expect(wrapped['payload_key_reference']).toBe(payload['key-reference']);
        if (mechanism === 'aes-gcm') expect(wrapped['iv']).toMatch(/^0x[0-9a-f]{24}$/);
        const unwrapArgs = {
          mechanism, filter: ref(unwrapping), keyTypeClass, label: `unwrapped-${mechanism}`,
          data: fromBase64(wrapped['wrapped_key_data']!), ...params,
          ...(wrapped['iv'] ? { iv: fromHex(wrapped['iv']) } : {}),
          attributes: { extractable: 'false' },
        };
        const { key } = expectOk<{ key: KeyJson }>(await w.hsm.handle({ op: 'key.unwrap', session: w.alice, args: unwrapArgs } as AnyRequest));
        expect(key.attributes['check-value']).toBe(payload.attributes['check-value']);
        expect(key.attributes).toMatchObject({ local: false, 'never-extractable': false, 'always-sensitive': false, extractable: false, 'key-type': payload.attributes['key-type'] });
        expect(key['key-info']['key-owners']).toEqual([{ username: 'alice', 'key-coverage': 'full' }]);
        roundTrips++;
      }
    }
    expect(roundTrips).toBe(8 * 3 - 2); // aes-no-pad refuses the 21-byte secret and the unaligned PKCS#8
  }, 120_000);

  test('an RSA private key wraps as PKCS#8 (aes-zero-pad, rsa-aes) and unwraps to the same key', async () => {
    const w = await wrapWorld();
    const payload = w.rsa.private_key;
    for (const [mechanism, wrapping, unwrapping] of [['aes-zero-pad', w.kek, w.kek], ['rsa-aes', w.rsa.public_key, w.rsa.private_key]] as const) {
      const wrapped = expectOk<Record<string, string>>(await w.hsm.handle({ op: 'key.wrap', session: w.alice, args: { mechanism, payloadFilter: ref(payload), wrappingFilter: ref(wrapping) } }));
      const { key } = expectOk<{ key: KeyJson }>(await w.hsm.handle({ op: 'key.unwrap', session: w.alice, args: { mechanism, filter: ref(unwrapping), keyTypeClass: 'rsa-private', label: 'back', data: fromBase64(wrapped['wrapped_key_data']!) } }));
      expect(key.attributes).toMatchObject({
        'key-type': 'rsa', class: 'private-key', local: false,
        'check-value': payload.attributes['check-value'], modulus: payload.attributes.modulus, 'key-length-bytes': payload.attributes['key-length-bytes'],
      });
      await refused(w.hsm, { op: 'key.unwrap', session: w.alice, args: { mechanism, filter: ref(unwrapping), keyTypeClass: 'ec-private', label: 'x', data: fromBase64(wrapped['wrapped_key_data']!) } }, 'bad-request');
    }
  }, 60_000);

  test('rules: extractable payload, owner only, wrap/unwrap attributes, wrap-with-trusted, tampered blobs', async () => {
    const w = await wrapWorld();
    const locked = await genAes(w.hsm, w.alice, 'locked', { attributes: { extractable: 'false' } });
    await refused(w.hsm, { op: 'key.wrap', session: w.alice, args: { mechanism: 'aes-zero-pad', payloadFilter: ref(locked), wrappingFilter: ref(w.kek) } }, 'not-extractable');
    const payload = await genAes(w.hsm, w.alice, 'payload', { shareCryptoUsers: ['bob'] });
    await refused(w.hsm, { op: 'key.wrap', session: w.bob, args: { mechanism: 'aes-zero-pad', payloadFilter: ref(payload), wrappingFilter: ref(w.rsa.public_key) } }, 'permission-denied');
    const plain = await genAes(w.hsm, w.alice, 'no-wrap');
    const f = await refused(w.hsm, { op: 'key.wrap', session: w.alice, args: { mechanism: 'aes-zero-pad', payloadFilter: ref(payload), wrappingFilter: ref(plain) } }, 'key-not-permitted');
    expect(f.data).toContain('"wrap" attribute is false');
    await refused(w.hsm, { op: 'key.wrap', session: w.alice, args: { mechanism: 'rsa-oaep', payloadFilter: ref(payload), wrappingFilter: ref(w.kek) } }, 'key-not-permitted');
    expectOk(await w.hsm.handle({ op: 'key.set-attribute', session: w.alice, args: { filter: ref(payload), name: 'wrap-with-trusted', value: 'true' } }));
    await refused(w.hsm, { op: 'key.wrap', session: w.alice, args: { mechanism: 'aes-zero-pad', payloadFilter: ref(payload), wrappingFilter: ref(w.kek) } }, 'key-not-permitted');
    expectOk(await w.hsm.handle({ op: 'key.set-trusted', session: w.admin, args: { filter: ref(w.kek), value: 'true' } }));
    const wrapped = expectOk<Record<string, string>>(await w.hsm.handle({ op: 'key.wrap', session: w.alice, args: { mechanism: 'aes-zero-pad', payloadFilter: ref(payload), wrappingFilter: ref(w.kek) } }));
    const blob = fromBase64(wrapped['wrapped_key_data']!);
    blob[3]! ^= 1;
    await refused(w.hsm, { op: 'key.unwrap', session: w.alice, args: { mechanism: 'aes-zero-pad', filter: ref(w.kek), keyTypeClass: 'aes', label: 'x', data: blob } }, 'verification-failed');
    await refused(w.hsm, { op: 'key.unwrap', session: w.alice, args: { mechanism: 'aes-zero-pad', filter: ref(plain), keyTypeClass: 'aes', label: 'x', data: fromBase64(wrapped['wrapped_key_data']!) } }, 'key-not-permitted');
    await refused(w.hsm, { op: 'key.unwrap', session: w.alice, args: { mechanism: 'aes-zero-pad', filter: ref(w.kek), keyTypeClass: 'rsa-public', label: 'x', data: fromBase64(wrapped['wrapped_key_data']!) } }, 'bad-request');
  }, 60_000);

  test('a known secret enters by unwrap: RSA-OAEP from node:crypto, then RFC 5649 from OpenSSL', async () => {
    const w = await wrapWorld();
    const { pem } = expectOk<{ pem: string }>(await w.hsm.handle({ op: 'key.export-pem', session: w.alice, args: { filter: ref(w.rsa.public_key) } }));
    const kekBytes = Buffer.alloc(32, 7);
    const oaep = publicEncrypt({ key: pem, padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, kekBytes);
    const kek = expectOk<{ key: KeyJson }>(await w.hsm.handle({ op: 'key.unwrap', session: w.alice, args: { mechanism: 'rsa-oaep', filter: ref(w.rsa.private_key), keyTypeClass: 'aes', label: 'known-kek', data: oaep, hashFunction: 'sha256', mgf: 'sha256', attributes: { unwrap: 'true' } } })).key;
    const kcv = createCipheriv('aes-256-ecb', kekBytes, null).setAutoPadding(false).update(Buffer.alloc(16)).subarray(0, 3).toString('hex');
    expect(kek.attributes['check-value']).toBe(`0x${kcv}`);
    const secret = Buffer.from('0123456789abcdef0123', 'utf8');
    const wrap = createCipheriv('id-aes256-wrap-pad', kekBytes, Buffer.from('a65959a6', 'hex'));
    const blob = Buffer.concat([wrap.update(secret), wrap.final()]);
    const gs = expectOk<{ key: KeyJson }>(await w.hsm.handle({ op: 'key.unwrap', session: w.alice, args: { mechanism: 'aes-zero-pad', filter: ref(kek), keyTypeClass: 'generic-secret', label: 'gs', data: blob } })).key;
    expect(gs.attributes).toMatchObject({ 'key-type': 'generic-secret', 'key-length-bytes': 20, local: false });
  }, 60_000);

  test('PKCS#5 padding helpers', () => {
    expect(pkcs5Pad(new Uint8Array(8)).length).toBe(16);
    expect(pkcs5Pad(new Uint8Array(5))).toEqual(Uint8Array.from([0, 0, 0, 0, 0, 3, 3, 3]));
    expect(pkcs5Unpad(pkcs5Pad(Uint8Array.of(1, 2, 3)))).toEqual(Uint8Array.of(1, 2, 3));
    expect(() => pkcs5Unpad(Uint8Array.from([0, 0, 0, 0, 0, 3, 2, 3]))).toThrow('padding');
  });
});
