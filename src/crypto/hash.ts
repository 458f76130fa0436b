/**
 * SHA digests (SHA-1, SHA-224/256/384/512) and their sizes. `digest` is served by the engine
 * {@link engineFor}('digest') picks (noble, or hash-wasm after `initEngines()`); `nobleHash`
 * gives the @noble hash object other modules (ECDSA, RSA, KDFs) plug in.
 * @module
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import type { CHash } from '@noble/hashes/utils.js';
import { _wasmHasher, engineFor, type EngineName } from './engines.ts';
import { CryptoError } from './errors.ts';
import { assertHashName, type HashName } from './hash-names.ts';

export { HASH_NAMES, isHashName, assertHashName, type HashName } from './hash-names.ts';

const NOBLE: Readonly<Record<HashName, CHash>> = { sha1, sha224, sha256, sha384, sha512 };

/** Digest size in bytes (20, 28, 32, 48, 64). */
export function hashLength(hash: HashName): number {
  assertHashName(hash);
  return NOBLE[hash].outputLen;
}

/** Internal block size in bytes (64 for SHA-1/224/256, 128 for SHA-384/512). */
export function blockLength(hash: HashName): number {
  assertHashName(hash);
  return NOBLE[hash].blockLen;
}

/** The @noble hash function object, for libraries that take one (ECDSA, RSA, HKDF, PBKDF2). */
export function nobleHash(hash: HashName): CHash {
  assertHashName(hash);
  return NOBLE[hash];
}

/** Hash `data` with the engine currently serving digests. */
export function digest(hash: HashName, data: Uint8Array): Uint8Array {
  return digestWith(engineFor('digest'), hash, data);
}

/** Hash `data` with a named engine (differential tests and benchmarks). */
export function digestWith(engine: EngineName, hash: HashName, data: Uint8Array): Uint8Array {
  assertHashName(hash);
  assertBytes(data, 'data');
  if (engine === 'hash-wasm') return _wasmHasher(hash).init().update(data).digest('binary');
  return NOBLE[hash](data);
}

function assertBytes(value: unknown, name: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new CryptoError('bad-input', `${name} must be a Uint8Array`);
}
