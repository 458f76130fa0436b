/**
 * Hash functions: FIPS 180-4 sizes, name validation, and agreement with node:crypto through every engine.
 * @module
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../../src/crypto/bytes.ts';
import { ENGINES_FOR, initEngines } from '../../../src/crypto/engines.ts';
import { CryptoError } from '../../../src/crypto/errors.ts';
import { assertHashName, blockLength, digest, digestWith, HASH_NAMES, hashLength, isHashName, nobleHash, type HashName } from '../../../src/crypto/hash.ts';

// FIPS 180-4 examples (NIST "Example Algorithms" page): the message "abc".
const ABC: Record<HashName, string> = {
  sha1: 'a9993e364706816aba3e25717850c26c9cd0d89d',
  sha224: '23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7',
  sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  sha384: 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
  sha512: 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
};
const NODE_NAME: Record<HashName, string> = { sha1: 'sha1', sha224: 'sha224', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' };

beforeAll(async () => {
  await initEngines();
});

describe('hash sizes', () => {
  it('reports the FIPS 180-4 digest and block sizes', () => {
    expect(HASH_NAMES.map(hashLength)).toEqual([20, 28, 32, 48, 64]);
    expect(HASH_NAMES.map(blockLength)).toEqual([64, 64, 64, 128, 128]);
    expect(nobleHash('sha384').outputLen).toBe(48);
  });

  it('refuses unknown hash names with the accepted list', () => {
    expect(isHashName('sha256')).toBe(true);
    expect(isHashName('md5')).toBe(false);
    expect(() => assertHashName('SHA256')).toThrow(CryptoError);
    expect(() => hashLength('md5' as HashName)).toThrow(/unknown hash "md5"; expected one of sha1, sha224, sha256, sha384, sha512/);
  });
});

for (const engine of ENGINES_FOR.digest) {
  describe(`digest through ${engine}`, () => {
    it('matches FIPS 180-4 "abc" and the empty message (node:crypto)', () => {
      for (const h of HASH_NAMES) {
        expect(toHex(digestWith(engine, h, utf8('abc')))).toBe(ABC[h]);
        expect(toHex(digestWith(engine, h, new Uint8Array()))).toBe(createHash(NODE_NAME[h]).digest('hex'));
      }
    });

    it('agrees with node:crypto on random inputs, including multi-block ones', () => {
      fc.assert(
        fc.property(fc.constantFrom(...HASH_NAMES), fc.uint8Array({ maxLength: 1000 }), (h, data) => {
          expect(toHex(digestWith(engine, h, data))).toBe(createHash(NODE_NAME[h]).update(data).digest('hex'));
        }),
        { numRuns: 300 },
      );
    });
  });
}

describe('digest (engine in service)', () => {
  it('hashes like node:crypto and refuses non-byte input', () => {
    expect(toHex(digest('sha256', utf8('abc')))).toBe(ABC.sha256);
    expect(() => digest('sha256', 'abc' as unknown as Uint8Array)).toThrow(/data must be a Uint8Array/);
  });
});
