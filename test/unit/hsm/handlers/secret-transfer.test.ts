/** key.export-secret / key.import-secret, and the aes-kw / aes-kwp ciphers of crypto.encrypt/decrypt, through the HSM. */
import { describe, expect, it } from 'vitest';
import { aesKeyWrap } from '../../../../src/crypto/aes.ts';
import { fromBase64, toHex } from '../../../../src/crypto/bytes.ts';
import { activatedWorld, expectFail, expectOk, generateAes } from '../fixtures.ts';

const ref = (r: string) => [`key-reference=${r}`];
type KeyAnswer = { key: { 'key-reference': string; attributes: Record<string, unknown> } };

describe('key.export-secret', () => {
  it('answers the raw bytes of an extractable secret key to its owner; they encrypt like the key', async () => {
    const { hsm, alice } = await activatedWorld('export-secret');
    const aes = await generateAes(hsm, alice, 'k', { keyLengthBytes: 16, attributes: { encrypt: 'true', decrypt: 'true' } });
    const out = expectOk<{ 'key-reference': string; 'key-type': string; 'key-length-bytes': number; 'key-material': Uint8Array }>(
      await hsm.handle({ op: 'key.export-secret', session: alice, args: { filter: ref(aes) } }),
    );
    expect(out).toMatchObject({ 'key-reference': aes, 'key-type': 'aes', 'key-length-bytes': 16 });
    expect(out['key-material']).toBeInstanceOf(Uint8Array);
    const data = new Uint8Array(16).fill(3);
    const enc = expectOk<{ ciphertext: string }>(await hsm.handle({ op: 'crypto.encrypt', session: alice, args: { mechanism: 'aes-kw', keyFilter: ref(aes), data } }));
    expect(toHex(fromBase64(enc.ciphertext))).toBe(toHex(aesKeyWrap(out['key-material'], data)));
  });

  it('refuses non-owners, non-extractable, wrap-with-trusted and non-secret keys, changing nothing', async () => {
    const { hsm, alice, bob } = await activatedWorld('export-secret-refusals');
    const shared = await generateAes(hsm, alice, 'shared', { shareCryptoUsers: ['bob'] });
    const nex = await generateAes(hsm, alice, 'nex', { attributes: { extractable: 'false' } });
    const trusted = await generateAes(hsm, alice, 'wwt', { attributes: { 'wrap-with-trusted': 'true' } });
    const pair = expectOk<{ private_key: { 'key-reference': string } }>(
      await hsm.handle({ op: 'key.generate-asymmetric-pair', session: alice, args: { keyType: 'ec', curve: 'prime256v1', publicLabel: 'p', privateLabel: 'q' } }),
    );
    const before = hsm.stateDigest();
    expect(expectFail(await hsm.handle({ op: 'key.export-secret', session: bob, args: { filter: ref(shared) } }), 'permission-denied').data).toContain("only the key's owner may export it");
    expect(expectFail(await hsm.handle({ op: 'key.export-secret', session: alice, args: { filter: ref(nex) } }), 'not-extractable').data).toBe(`Key is not extractable: key ${nex}`);
    expect(expectFail(await hsm.handle({ op: 'key.export-secret', session: alice, args: { filter: ref(trusted) } }), 'key-not-permitted').data).toContain('wrap-with-trusted');
    expect(expectFail(await hsm.handle({ op: 'key.export-secret', session: alice, args: { filter: ref(pair.private_key['key-reference']) } }), 'key-not-permitted').data).toContain('only secret keys');
    expectFail(await hsm.handle({ op: 'key.export-secret', session: alice, args: { filter: ['key-reference=0x7777'] } }), 'key-not-found');
    expect(hsm.stateDigest()).toBe(before);
  });
});

describe('key.import-secret', () => {
  it('creates a key from raw bytes with local false, the same KCV as the original and the given attributes', async () => {
    const { hsm, alice } = await activatedWorld('import-secret');
    const original = await generateAes(hsm, alice, 'orig', { keyLengthBytes: 24 });
    const material = expectOk<{ 'key-material': Uint8Array }>(await hsm.handle({ op: 'key.export-secret', session: alice, args: { filter: ref(original) } }))['key-material'];
    const imported = expectOk<KeyAnswer>(
      await hsm.handle({ op: 'key.import-secret', session: alice, args: { keyType: 'aes', label: 'copy', material, attributes: { decrypt: 'true' }, shareCryptoUsers: ['bob'] } }),
    ).key;
    const listed = expectOk<{ matched_keys: KeyAnswer['key'][] }>(await hsm.handle({ op: 'key.list', session: alice, args: { filter: ref(original), verbose: true } }));
    expect(imported.attributes).toMatchObject({ label: 'copy', local: false, decrypt: true, 'key-type': 'aes', 'key-length-bytes': 24 });
    expect(imported.attributes['check-value']).toBe(listed.matched_keys[0]?.attributes['check-value']);
    const generic = expectOk<KeyAnswer>(await hsm.handle({ op: 'key.import-secret', session: alice, args: { keyType: 'generic-secret', label: 'g', material: new Uint8Array(5).fill(1) } })).key;
    expect(generic.attributes).toMatchObject({ 'key-type': 'generic-secret', 'key-length-bytes': 5, local: false });
  });

  it('refuses bad lengths, types, labels and attributes before storing anything', async () => {
    const { hsm, alice } = await activatedWorld('import-secret-refusals');
    const before = hsm.stateDigest();
    expect(expectFail(await hsm.handle({ op: 'key.import-secret', session: alice, args: { keyType: 'aes', label: 'x', material: new Uint8Array(15) } }), 'bad-request').data).toBe(
      'Invalid key length: an AES key must be 16, 24 or 32 bytes, got 15',
    );
    expectFail(await hsm.handle({ op: 'key.import-secret', session: alice, args: { keyType: 'rsa' as 'aes', label: 'x', material: new Uint8Array(16) } }), 'bad-request');
    expectFail(await hsm.handle({ op: 'key.import-secret', session: alice, args: { keyType: 'aes', label: 'x'.repeat(200), material: new Uint8Array(16) } }), 'bad-request');
    expectFail(await hsm.handle({ op: 'key.import-secret', session: alice, args: { keyType: 'aes', label: 'x', material: 'AAAA' as unknown as Uint8Array } }), 'bad-request');
    expectFail(await hsm.handle({ op: 'key.import-secret', session: alice, args: { keyType: 'aes', label: 'x', material: new Uint8Array(16), attributes: { 'no-such': 'true' } } }), 'bad-request');
    expect(hsm.stateDigest()).toBe(before);
  });
});

describe('crypto.encrypt / decrypt with aes-kw and aes-kwp', () => {
  it('wraps with a caller IV (answering it), the default IV, and RFC 5649; decrypts back', async () => {
    const { hsm, alice } = await activatedWorld('kw-cipher');
    const aes = await generateAes(hsm, alice, 'kek', { attributes: { encrypt: 'true', decrypt: 'true' } });
    const data = new TextEncoder().encode('0123456789abcdef01234567');
    const iv = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const withIv = expectOk<{ iv: string; ciphertext: string }>(await hsm.handle({ op: 'crypto.encrypt', session: alice, args: { mechanism: 'aes-kw', keyFilter: ref(aes), data, iv } }));
    expect(withIv.iv).toBe('0x0102030405060708');
    const plain = expectOk<{ data: string }>(await hsm.handle({ op: 'crypto.decrypt', session: alice, args: { mechanism: 'aes-kw', keyFilter: ref(aes), data: fromBase64(withIv.ciphertext), iv } }));
    expect(new TextDecoder().decode(fromBase64(plain.data))).toBe('0123456789abcdef01234567');
    expectFail(await hsm.handle({ op: 'crypto.decrypt', session: alice, args: { mechanism: 'aes-kw', keyFilter: ref(aes), data: fromBase64(withIv.ciphertext) } }), 'verification-failed');
    const plainDefault = expectOk<{ iv: string }>(await hsm.handle({ op: 'crypto.encrypt', session: alice, args: { mechanism: 'aes-kw', keyFilter: ref(aes), data } }));
    expect(plainDefault.iv).toBe('0xa6a6a6a6a6a6a6a6');
    const padded = expectOk<Record<string, string>>(await hsm.handle({ op: 'crypto.encrypt', session: alice, args: { mechanism: 'aes-kwp', keyFilter: ref(aes), data: data.subarray(0, 7) } }));
    expect(padded['iv']).toBeUndefined();
    expect(fromBase64(padded['ciphertext'] ?? '').length).toBe(16);
    const back = expectOk<{ data: string }>(await hsm.handle({ op: 'crypto.decrypt', session: alice, args: { mechanism: 'aes-kwp', keyFilter: ref(aes), data: fromBase64(padded['ciphertext'] ?? '') } }));
    expect(new TextDecoder().decode(fromBase64(back.data))).toBe('0123456');
  });

  it('refuses an IV for aes-kwp, a non-multiple of 8 for aes-kw, and a key without encrypt', async () => {
    const { hsm, alice } = await activatedWorld('kw-cipher-refusals');
    const aes = await generateAes(hsm, alice, 'kek', { attributes: { encrypt: 'true', decrypt: 'true' } });
    const plainKey = await generateAes(hsm, alice, 'plain');
    expect(expectFail(await hsm.handle({ op: 'crypto.encrypt', session: alice, args: { mechanism: 'aes-kwp', keyFilter: ref(aes), data: new Uint8Array(8), iv: new Uint8Array(8) } }), 'bad-request').data).toContain('--iv does not apply to aes-kwp');
    expect(expectFail(await hsm.handle({ op: 'crypto.encrypt', session: alice, args: { mechanism: 'aes-kw', keyFilter: ref(aes), data: new Uint8Array(20) } }), 'bad-request').data).toContain('multiple of 8 bytes');
    expectFail(await hsm.handle({ op: 'crypto.encrypt', session: alice, args: { mechanism: 'aes-kw', keyFilter: ref(plainKey), data: new Uint8Array(16) } }), 'key-not-permitted');
  });
});
