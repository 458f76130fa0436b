/**
 * Key derivation: HKDF-SHA256 (RFC 5869) and the NIST SP 800-108 KDF in counter mode with
 * HMAC-SHA256 as PRF (the HSM derives backup keys with it, spec "Backups").
 * @module
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { CryptoError } from './errors.ts';

/** The most HKDF-SHA256 can produce: 255 blocks of 32 bytes (RFC 5869 §2.3). */
export const HKDF_SHA256_MAX_LENGTH = 255 * 32;

/** The most the SP 800-108 KDF here produces: L (in bits) is encoded on 32 bits. */
export const KDF_COUNTER_MAX_LENGTH = Math.floor(0xffffffff / 8);

/**
 * HKDF-SHA256 extract-then-expand (RFC 5869). An empty `salt` means 32 zero bytes, as the RFC says.
 * @throws CryptoError `'bad-input'` if `length` is not an integer in 1..8160 or an input is not bytes.
 */
export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  checkBytes(ikm, 'HKDF input key material');
  checkBytes(salt, 'HKDF salt');
  checkBytes(info, 'HKDF info');
  checkLength(length, HKDF_SHA256_MAX_LENGTH, 'HKDF-SHA256 output length');
  return hkdf(sha256, ikm, salt, info, length);
}

/**
 * NIST SP 800-108r1 §4.1 KDF in counter mode, PRF = HMAC-SHA256, 32-bit counter before the fixed
 * input: block i = HMAC(key, [i]₃₂ ‖ label ‖ 0x00 ‖ context ‖ [L]₃₂) with L the output length in
 * bits; the output is the first `length` bytes of block 1 ‖ block 2 ‖ …. (This is OpenSSL's
 * KBKDF with mode=COUNTER, mac=HMAC, digest=SHA256, salt=label, info=context.)
 * @throws CryptoError `'bad-key'` (empty key), `'bad-input'` (length or non-byte inputs).
 */
export function kdfCounterHmacSha256(key: Uint8Array, label: Uint8Array, context: Uint8Array, length: number): Uint8Array {
  checkBytes(key, 'SP 800-108 key');
  if (key.length === 0) throw new CryptoError('bad-key', 'SP 800-108 key must not be empty');
  checkBytes(label, 'SP 800-108 label');
  checkBytes(context, 'SP 800-108 context');
  checkLength(length, KDF_COUNTER_MAX_LENGTH, 'SP 800-108 output length');
  // Fixed input: [i]32 ‖ label ‖ 0x00 ‖ context ‖ [L]32; only the counter changes per block.
  const input = new Uint8Array(4 + label.length + 1 + context.length + 4);
  const view = new DataView(input.buffer);
  input.set(label, 4);
  input.set(context, 4 + label.length + 1);
  view.setUint32(input.length - 4, length * 8, false);
  const out = new Uint8Array(length);
  const mac = hmac.create(sha256, key);
  for (let i = 1, offset = 0; offset < length; i++, offset += 32) {
    view.setUint32(0, i, false);
    const block = mac.clone().update(input).digest();
    out.set(block.subarray(0, Math.min(32, length - offset)), offset);
    block.fill(0);
  }
  mac.destroy();
  return out;
}

function checkBytes(value: unknown, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new CryptoError('bad-input', `${what} must be a Uint8Array`);
}

function checkLength(length: number, max: number, what: string): void {
  if (!Number.isInteger(length) || length < 1 || length > max) {
    throw new CryptoError('bad-input', `${what} must be an integer from 1 to ${max} bytes, got ${length}`);
  }
}
