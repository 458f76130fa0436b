/**
 * A self-test that meets a broken primitive reports it — a wrong answer with both values, an
 * exception with its message — and still runs every other check (nothing is thrown).
 * @module
 */
import { describe, expect, it, vi } from 'vitest';
import { CryptoError } from '../../../src/crypto/errors.ts';
import { selfTest } from '../../../src/crypto/self-test.ts';

vi.mock('../../../src/crypto/aes.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/crypto/aes.ts')>();
  return {
    ...real,
    aesCtr: (_key: Uint8Array, _iv: Uint8Array, data: Uint8Array) => new Uint8Array(data.length),
    aesKeyWrap: () => {
      throw new CryptoError('bad-key', 'simulated: AES key wrap broke');
    },
  };
});

describe('selfTest() with a broken primitive', () => {
  it('reports the wrong answer and the exception, and passes the rest', async () => {
    const results = await selfTest();
    const failed = results.filter((r) => !r.ok);
    expect(failed.map((r) => r.name)).toEqual(['AES-128-CTR', 'AES key wrap (RFC 3394)']);
    expect(failed[0]?.error).toBe('encrypt: got 00000000000000000000000000000000, expected 874d6191b620e3261bef6864990db6ce');
    expect(failed[1]?.error).toBe('CryptoError: simulated: AES key wrap broke');
    expect(failed.every((r) => r.output === undefined)).toBe(true);
    expect(results.length).toBe(21);
  });
});
