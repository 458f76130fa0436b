/**
 * The one signing rule of quorum approvals and MFA challenges (spec §6.1, §7.1): an approval is an
 * RSASSA-PKCS1-v1_5 signature with an RSA-2048 key over DigestInfo(SHA-256, token), where the
 * token is the 32 bytes the HSM wrote (base64) into the token file — SHA-256 of `approval_data`
 * for quorum tokens, 32 random bytes for MFA challenges. It is what
 * `openssl pkeyutl -sign -pkeyopt digest:sha256 -inkey key.pem -in token.bin` makes from the
 * decoded token, and what WebCrypto's RSASSA-PKCS1-v1_5 / SHA-256 `sign` makes from
 * `approval_data`. Used by the HSM to check, and by the page's keyring and tests to sign.
 * @module
 */
import { rsaPkcs1Sign, rsaPkcs1Verify, type RsaPrivateKey, type RsaPublicKey } from '../../crypto/rsa.ts';
import { spkiToPublicKey } from '../../crypto/keys-encoding.ts';
import { HsmError } from '../envelope.ts';

/** Tokens and challenges are SHA-256 digests. */
export const TOKEN_LENGTH = 32;
/** Registered keys are RSA-2048 (spec §7.1 "RSA_2048"). */
export const REGISTERED_KEY_BITS = 2048;

/** The RSA public key in a SubjectPublicKeyInfo DER, refusing anything but RSA-2048 with a precise message. */
export function registeredKeyFromSpki(spki: unknown, what = 'public key'): RsaPublicKey {
  if (!(spki instanceof Uint8Array)) throw new HsmError('bad-request', `${what} must be a SubjectPublicKeyInfo (bytes)`);
  let decoded;
  try {
    decoded = spkiToPublicKey(spki);
  } catch (e) {
    throw new HsmError('bad-request', `${what} is not a valid public key: ${(e as Error).message}`);
  }
  if (decoded.kind !== 'rsa') throw new HsmError('bad-request', `${what} must be an RSA-2048 key, got an EC key`);
  const bits = decoded.key.n.toString(2).length;
  if (bits !== REGISTERED_KEY_BITS) throw new HsmError('bad-request', `${what} must be an RSA-2048 key, got RSA-${bits}`);
  return decoded.key;
}

/** Does `signature` approve `token` under `key`? False for any wrong or malformed signature. */
export function verifyTokenSignature(key: RsaPublicKey, token: Uint8Array, signature: Uint8Array): boolean {
  if (token.length !== TOKEN_LENGTH || !(signature instanceof Uint8Array)) return false;
  try {
    return rsaPkcs1Verify(key, 'sha256', token, signature, { prehashed: true });
  } catch {
    return false;
  }
}

/** Sign `token` (32 bytes) the way an approver does; the keyring and tests use this. */
export function signToken(key: RsaPrivateKey, token: Uint8Array): Uint8Array {
  if (!(token instanceof Uint8Array) || token.length !== TOKEN_LENGTH) {
    throw new RangeError(`a token to sign must be ${TOKEN_LENGTH} bytes (a SHA-256 digest), got ${token instanceof Uint8Array ? token.length : typeof token}`);
  }
  return rsaPkcs1Sign(key, 'sha256', token, { prehashed: true });
}
