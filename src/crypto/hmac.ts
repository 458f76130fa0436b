/**
 * HMAC (RFC 2104 / FIPS 198-1) over SHA-1 and SHA-2, served by the engine
 * {@link engineFor}('hmac') picks: noble's HMAC, or HMAC built here on hash-wasm's streaming
 * SHA (`H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m))`) after `initEngines()`. Verification is constant time
 * and accepts truncated MACs only when asked for, and never shorter than RFC 2104 §5 allows.
 * @module
 */
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { equalBytes } from './bytes.ts';
import { _wasmHasher, engineFor, type EngineName } from './engines.ts';
import { CryptoError } from './errors.ts';
import { assertHashName, digestWith, hashLength, nobleHash, type HashName } from './hash.ts';

const IPAD = 0x36;
const OPAD = 0x5c;

/** HMAC of `data` under `key` (any key length; long keys are hashed first, as RFC 2104 says). */
export function hmac(hash: HashName, key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmacWith(engineFor('hmac'), hash, key, data);
}

/** HMAC with a named engine (differential tests and benchmarks). */
export function hmacWith(engine: EngineName, hash: HashName, key: Uint8Array, data: Uint8Array): Uint8Array {
  assertHashName(hash);
  if (!(key instanceof Uint8Array)) throw new CryptoError('bad-key', 'HMAC key must be a Uint8Array');
  if (!(data instanceof Uint8Array)) throw new CryptoError('bad-input', 'HMAC data must be a Uint8Array');
  if (engine === 'hash-wasm') return wasmHmac(hash, key, data);
  return nobleHmac(nobleHash(hash), key, data);
}

/**
 * The shortest truncated MAC {@link hmacVerify} accepts for `hash`: RFC 2104 §5 says at least
 * half the digest and at least 80 bits.
 */
export function minimumMacLength(hash: HashName): number {
  return Math.max(10, hashLength(hash) / 2);
}

/**
 * Check `mac` against the HMAC of `data` in constant time. By default `mac` must be the full
 * digest; pass `macLength` to accept a MAC truncated to its first `macLength` bytes. A `mac` of
 * any other length than expected is simply wrong (returns false).
 * @throws CryptoError `'bad-tag'` if `macLength` is outside [{@link minimumMacLength}, digest length].
 */
export function hmacVerify(hash: HashName, key: Uint8Array, data: Uint8Array, mac: Uint8Array, macLength = hashLength(hash)): boolean {
  const full = hashLength(hash);
  if (!Number.isInteger(macLength) || macLength < minimumMacLength(hash) || macLength > full) {
    throw new CryptoError('bad-tag', `HMAC-${hash} MAC length must be an integer from ${minimumMacLength(hash)} to ${full} bytes, got ${macLength}`);
  }
  if (!(mac instanceof Uint8Array)) throw new CryptoError('bad-tag', 'HMAC mac must be a Uint8Array');
  const expected = hmac(hash, key, data).subarray(0, macLength);
  return equalBytes(expected, mac);
}

function wasmHmac(hash: HashName, key: Uint8Array, data: Uint8Array): Uint8Array {
  const hasher = _wasmHasher(hash);
  const block = hasher.blockSize;
  const shortKey = key.length > block ? digestWith('hash-wasm', hash, key) : key;
  const pad = new Uint8Array(block);
  pad.set(shortKey);
  for (let i = 0; i < block; i++) pad[i]! ^= IPAD;
  const inner = hasher.init().update(pad).update(data).digest('binary');
  for (let i = 0; i < block; i++) pad[i]! ^= IPAD ^ OPAD;
  const outer = hasher.init().update(pad).update(inner).digest('binary');
  pad.fill(0);
  if (shortKey !== key) shortKey.fill(0);
  return outer;
}
