/**
 * Key material in its two forms: the bytes a {@link KeyRecord} stores (raw secret bytes; the EC
 * private scalar; an RSA private key as PKCS#8 DER; an EC public point 0x04…; an RSA public key as
 * SPKI DER), and the parsed form operations use. Also what each key shows about itself — key type,
 * class, check value, `key-length-bytes` and the RSA/EC attributes — and the conversions used by
 * wrap (PKCS#8 out), unwrap (PKCS#8 / raw in) and PEM import/export (SPKI).
 * @module
 */
import { bigintToBytes, fromHex, toHex } from '../../crypto/bytes.ts';
import { CryptoError } from '../../crypto/errors.ts';
import { CURVES, curveFromName, ecPublicKey, ecValidatePublicKey, type CurveId } from '../../crypto/ecdsa.ts';
import {
  ecPrivateKeyToPkcs8,
  ecPublicKeyToSpki,
  pkcs8ToPrivateKey,
  rsaPrivateKeyToPkcs8,
  rsaPublicKeyToSpki,
  spkiToPublicKey,
} from '../../crypto/keys-encoding.ts';
import { bitLength, rsaCheckPrivateKey, type RsaPrivateKey, type RsaPublicKey } from '../../crypto/rsa.ts';
import { HsmError } from '../envelope.ts';
import type { KeyRecord } from '../state.ts';
import type { AttributeName, KeyClass, KeyType } from './attributes.ts';
import { aesCheckValue, genericSecretCheckValue, publicKeyCheckValue } from './check-value.ts';

export type ParsedKey =
  | { readonly kind: 'secret'; readonly keyType: 'aes' | 'generic-secret'; readonly bytes: Uint8Array }
  | { readonly kind: 'ec-private'; readonly curve: CurveId; readonly privateKey: Uint8Array; readonly publicKey: Uint8Array }
  | { readonly kind: 'ec-public'; readonly curve: CurveId; readonly publicKey: Uint8Array }
  | { readonly kind: 'rsa-private'; readonly key: RsaPrivateKey }
  | { readonly kind: 'rsa-public'; readonly key: RsaPublicKey };

/** Everything about a key that follows from its material. */
export interface MaterialFacts {
  readonly keyType: KeyType;
  readonly keyClass: KeyClass;
  /** The bytes to store in the record. */
  readonly material: Uint8Array;
  readonly checkValue: string;
  readonly keyLengthBytes: number;
  readonly extras: Readonly<Partial<Record<AttributeName, string | number>>>;
}

/** The name CloudHSM prints for a curve (`prime256v1` for P-256). */
export function curveName(curve: CurveId): string {
  return CURVES[curve].cloudHsmNames[0] ?? curve;
}

function hex(bytes: Uint8Array): string {
  return `0x${toHex(bytes)}`;
}

function bigHex(value: bigint): string {
  return hex(bigintToBytes(value));
}

/** The SubjectPublicKeyInfo DER of a key pair half or public key. */
export function publicKeySpki(key: ParsedKey): Uint8Array {
  switch (key.kind) {
    case 'ec-private':
    case 'ec-public':
      return ecPublicKeyToSpki(key.curve, key.publicKey);
    case 'rsa-private':
      return rsaPublicKeyToSpki({ n: key.key.n, e: key.key.e });
    case 'rsa-public':
      return rsaPublicKeyToSpki(key.key);
    case 'secret':
      throw new HsmError('key-not-permitted', 'A secret key has no public key');
  }
}

/**
 * What a key shows about itself. `key-length-bytes` mimics the observed values (spec §3.4): the
 * secret's length; the uncompressed point for EC public keys; the PKCS#8 DER length for private
 * keys; and for RSA public keys twice the modulus bytes (512 for RSA-2048).
 */
export function describeKey(key: ParsedKey): MaterialFacts {
  switch (key.kind) {
    case 'secret':
      return {
        keyType: key.keyType,
        keyClass: 'secret-key',
        material: key.bytes,
        checkValue: key.keyType === 'aes' ? aesCheckValue(key.bytes) : genericSecretCheckValue(key.bytes),
        keyLengthBytes: key.bytes.length,
        extras: {},
      };
    case 'ec-private':
    case 'ec-public': {
      const extras = { 'ec-point': hex(key.publicKey), curve: curveName(key.curve) };
      const checkValue = publicKeyCheckValue(publicKeySpki(key));
      if (key.kind === 'ec-public') {
        return { keyType: 'ec', keyClass: 'public-key', material: key.publicKey, checkValue, keyLengthBytes: key.publicKey.length, extras };
      }
      const pkcs8 = ecPrivateKeyToPkcs8(key.curve, key.privateKey, key.publicKey);
      return { keyType: 'ec', keyClass: 'private-key', material: key.privateKey, checkValue, keyLengthBytes: pkcs8.length, extras };
    }
    case 'rsa-private':
    case 'rsa-public': {
      const bits = bitLength(key.key.n);
      const extras = { 'public-exponent': bigHex(key.key.e), modulus: bigHex(key.key.n), 'modulus-size-bits': bits };
      const spki = publicKeySpki(key);
      const checkValue = publicKeyCheckValue(spki);
      if (key.kind === 'rsa-public') {
        return { keyType: 'rsa', keyClass: 'public-key', material: spki, checkValue, keyLengthBytes: 2 * Math.ceil(bits / 8), extras };
      }
      const pkcs8 = rsaPrivateKeyToPkcs8(key.key);
      return { keyType: 'rsa', keyClass: 'private-key', material: pkcs8, checkValue, keyLengthBytes: pkcs8.length, extras };
    }
  }
}

/** Parse a stored record's material back into an operational key. */
export function loadKey(record: KeyRecord): ParsedKey {
  const a = record.attributes;
  const type = a['key-type'];
  const cls = a.class;
  if (type === 'aes' || type === 'generic-secret') return { kind: 'secret', keyType: type, bytes: record.material };
  if (type === 'ec') {
    const curve = curveFromName(String(a.curve));
    if (cls === 'public-key') return { kind: 'ec-public', curve, publicKey: record.material };
    return { kind: 'ec-private', curve, privateKey: record.material, publicKey: fromHex(String(a['ec-point'])) };
  }
  if (type === 'rsa') {
    const parsed = spkiOrPkcs8(record.material, cls === 'public-key' ? 'spki' : 'pkcs8');
    if (parsed.kind === 'rsa-public' || parsed.kind === 'rsa-private') return parsed;
  }
  throw new HsmError('internal-error', `Key ${record.handle} has unreadable material`);
}

/** The bytes `key wrap` encrypts: raw bytes of a secret key, PKCS#8 of a private key. */
export function wrapPayload(key: ParsedKey): Uint8Array {
  switch (key.kind) {
    case 'secret':
      return key.bytes;
    case 'ec-private':
      return ecPrivateKeyToPkcs8(key.curve, key.privateKey, key.publicKey);
    case 'rsa-private':
      return rsaPrivateKeyToPkcs8(key.key);
    default:
      throw new HsmError('key-not-permitted', 'Only secret and private keys can be wrapped; export a public key as PEM instead');
  }
}

/** Generic-secret key sizes (spec §2.4). */
export const GENERIC_SECRET_MIN_BYTES = 1;
export const GENERIC_SECRET_MAX_BYTES = 800;

/** Check a secret key length for its type; throws 'bad-request' "Invalid key length …". */
export function checkSecretLength(keyType: 'aes' | 'generic-secret', length: number): void {
  const ok =
    keyType === 'aes'
      ? length === 16 || length === 24 || length === 32
      : Number.isInteger(length) && length >= GENERIC_SECRET_MIN_BYTES && length <= GENERIC_SECRET_MAX_BYTES;
  if (!ok) {
    const allowed = keyType === 'aes' ? '16, 24 or 32' : `${GENERIC_SECRET_MIN_BYTES} to ${GENERIC_SECRET_MAX_BYTES}`;
    const kind = keyType === 'aes' ? 'an AES' : 'a generic-secret';
    throw new HsmError('bad-request', `Invalid key length: ${kind} key must be ${allowed} bytes, got ${length}`);
  }
}

/** Turn unwrapped bytes into a key of the requested `--key-type-class`. */
export function parseUnwrapped(keyTypeClass: string, bytes: Uint8Array): ParsedKey {
  switch (keyTypeClass) {
    case 'aes':
    case 'generic-secret':
      checkSecretLength(keyTypeClass, bytes.length);
      return { kind: 'secret', keyType: keyTypeClass, bytes };
    case 'ec-private':
    case 'rsa-private': {
      const parsed = spkiOrPkcs8(bytes, 'pkcs8');
      if (parsed.kind !== keyTypeClass) {
        throw new HsmError('bad-request', `The unwrapped key is not an ${keyTypeClass} key (it is ${parsed.kind})`);
      }
      return parsed;
    }
    default:
      throw new HsmError(
        'bad-request',
        `Invalid --key-type-class "${keyTypeClass}" for unwrap: expected aes, generic-secret, ec-private or rsa-private`,
      );
  }
}

/** Parse a public key from SPKI DER (PEM import). */
export function parsePublicKey(spki: Uint8Array, expected: 'ec-public' | 'rsa-public'): ParsedKey {
  const parsed = spkiOrPkcs8(spki, 'spki');
  if (parsed.kind !== expected) {
    throw new HsmError('bad-request', `The PEM holds an ${parsed.kind} key, not an ${expected} key`);
  }
  return parsed;
}

/** Decode SPKI or PKCS#8 DER into a key, turning encoding errors into a clear refusal. */
function spkiOrPkcs8(der: Uint8Array, form: 'spki' | 'pkcs8'): ParsedKey {
  try {
    if (form === 'spki') {
      const pub = spkiToPublicKey(der);
      if (pub.kind === 'ec') return { kind: 'ec-public', curve: pub.curve, publicKey: ecValidatePublicKey(pub.curve, pub.point) };
      return { kind: 'rsa-public', key: pub.key };
    }
    const priv = pkcs8ToPrivateKey(der);
    if (priv.kind === 'ec') {
      const publicKey = ecPublicKey(priv.curve, priv.privateKey);
      return { kind: 'ec-private', curve: priv.curve, privateKey: priv.privateKey, publicKey };
    }
    rsaCheckPrivateKey(priv.key);
    return { kind: 'rsa-private', key: priv.key };
  } catch (error) {
    if (error instanceof CryptoError) {
      const what = form === 'spki' ? 'public key (SubjectPublicKeyInfo)' : 'private key (PKCS#8)';
      throw new HsmError('bad-request', `Invalid ${what}: ${error.message}`);
    }
    throw error;
  }
}
