/**
 * The names of the SHA hashes the HSM offers, with no hashing code attached, so that the command
 * table (which only validates `--hash-function`) does not pull the hash implementations into the
 * page. The implementations are in hash.ts.
 * @module
 */
import { CryptoError } from './errors.ts';

export const HASH_NAMES = ['sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
export type HashName = (typeof HASH_NAMES)[number];

/** Whether `name` is one of {@link HASH_NAMES}. */
export function isHashName(name: unknown): name is HashName {
  return typeof name === 'string' && (HASH_NAMES as readonly string[]).includes(name);
}

/**
 * Throw unless `name` is a supported hash (for values that crossed a boundary untyped).
 * @throws CryptoError `'unsupported'` naming the value and the accepted names.
 */
export function assertHashName(name: unknown): asserts name is HashName {
  if (!isHashName(name)) {
    throw new CryptoError('unsupported', `unknown hash ${JSON.stringify(name)}; expected one of ${HASH_NAMES.join(', ')}`);
  }
}

