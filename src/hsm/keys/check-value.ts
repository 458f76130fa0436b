/**
 * Key check values (spec §5.2), printed as `0x` + 3 bytes of hex: for AES the first 3 bytes of
 * encrypting one zero block; for key pairs the first 3 bytes of SHA-1 over the public key's
 * SubjectPublicKeyInfo DER (both halves share it); for generic-secret keys — which AWS does not
 * support — [SIM] the first 3 bytes of HMAC-SHA256(key, 16 zero bytes), so equal secrets show
 * equal check values.
 * @module
 */
import { aesEncryptBlock } from '../../crypto/aes.ts';
import { toHex } from '../../crypto/bytes.ts';
import { digest } from '../../crypto/hash.ts';
import { hmac } from '../../crypto/hmac.ts';

const ZERO_BLOCK = new Uint8Array(16);

function format(bytes: Uint8Array): string {
  return `0x${toHex(bytes.subarray(0, 3))}`;
}

/** KCV of an AES key: E_K(0¹²⁸)[0..3]. */
export function aesCheckValue(key: Uint8Array): string {
  return format(aesEncryptBlock(key, ZERO_BLOCK));
}

/** [SIM] KCV of a generic secret: HMAC-SHA256(key, 0¹²⁸)[0..3]. */
export function genericSecretCheckValue(key: Uint8Array): string {
  return format(hmac('sha256', key, ZERO_BLOCK));
}

/** KCV of either half of a key pair: SHA-1(SPKI DER)[0..3]. */
export function publicKeyCheckValue(spki: Uint8Array): string {
  return format(digest('sha1', spki));
}
