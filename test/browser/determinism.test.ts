/**
 * Seeded mode gives byte-identical output in Chromium and in Node: the same seeded script (DRBG
 * bytes, EC keys and signatures on every curve, an RSA-2048 key and PSS signature, AES-GCM,
 * argon2id) hashes to the digest that test/unit/crypto/self-test.test.ts pins in Node.
 */
import { describe, expect, it } from 'vitest';
import { initEngines, useEngine } from '../../src/crypto/engines.ts';
import { DRBG_VECTOR, SEEDED_TRANSCRIPT, seededTranscript, seededTranscriptDigest } from '../../src/crypto/self-test.ts';
import { toHex } from '../../src/crypto/bytes.ts';
import { seededRandom } from '../../src/crypto/random.ts';

describe('seeded determinism in Chromium', () => {
  it('runs in a real browser', () => {
    expect(typeof window).toBe('object');
    expect(navigator.userAgent).toMatch(/Chrome\//);
  });

  it('the DRBG gives the bytes pinned in Node', () => {
    expect(toHex(seededRandom(DRBG_VECTOR.seed).bytes(32))).toBe(DRBG_VECTOR.first32);
  });

  it('the seeded script hashes to the Node digest, with noble and with hash-wasm serving digests', async () => {
    useEngine('digest', 'noble');
    useEngine('hmac', 'noble');
    expect(await seededTranscriptDigest()).toBe(SEEDED_TRANSCRIPT.sha256);
    await initEngines();
    useEngine('digest', 'hash-wasm');
    useEngine('hmac', 'hash-wasm');
    expect(await seededTranscriptDigest()).toBe(SEEDED_TRANSCRIPT.sha256);
    useEngine('digest', 'auto');
    useEngine('hmac', 'auto');
  });

  it('a different seed gives different keys', async () => {
    const a = await seededTranscript(SEEDED_TRANSCRIPT.seed);
    const b = await seededTranscript('another seed');
    expect(a.length).toBe(b.length);
    expect(a.find((l) => l.startsWith('rsa.p='))).not.toBe(b.find((l) => l.startsWith('rsa.p=')));
  });
});
