/**
 * The playground's "reference PEM" (`key generate-file --encoding reference-pem`, spec §4.5): the
 * stand-in for the real tool's "fake PEM", a private-key file that names a key inside the HSM
 * instead of holding it, so a web server's TLS library can hand the key reference to the HSM.
 *
 * The layout is the ordinary private-key structure of the key's type, so it reads like any
 * private key PEM, with every secret field replaced by the reference marker
 * `"cloudhsm-ref:"` (13 ASCII bytes) followed by the 8-byte key reference, big-endian:
 * - EC: `-----BEGIN EC PRIVATE KEY-----`, an RFC 5915 ECPrivateKey: version 1, privateKey = the
 *   marker (21 bytes, where a real key holds its secret scalar), parameters [0] = the curve OID,
 *   publicKey [1] = the real public point;
 * - RSA: `-----BEGIN RSA PRIVATE KEY-----`, an RFC 8017 A.1.2 RSAPrivateKey: version 0, the real
 *   modulus and public exponent, privateExponent = the marker read as an integer, and the five
 *   CRT values (prime1, prime2, exponent1, exponent2, coefficient) 0, which no real key has.
 * Only public values and the reference are in the file: nothing secret leaves the HSM.
 * @module
 */
import { bigintToBytes, bytesToBigint, toHex } from '../../crypto/bytes.ts';
import {
  contextTag,
  derBitString,
  derContext,
  derInteger,
  derOctetString,
  derOid,
  derSequence,
  parseDer,
  readBitString,
  readOctetString,
  readOid,
  readSequence,
  readUnsignedInteger,
} from '../../crypto/der.ts';
import { fromPem, toPem } from '../../crypto/pem.ts';

/** The bytes that mark a secret field as a key reference. */
export const REFERENCE_MARKER = new TextEncoder().encode('cloudhsm-ref:');

/** What a reference PEM names. */
export interface KeyReferenceFile {
  /** `0x` + 16 lower-case hex digits, as cloudhsm-cli prints key references. */
  readonly keyReference: string;
  readonly keyType: 'ec' | 'rsa';
}

/** `0x00000000002e06bf` → its 8 bytes; precise refusal for anything else. */
function referenceBytes(keyReference: string): Uint8Array {
  if (!/^0x[0-9a-fA-F]{1,16}$/.test(keyReference)) {
    throw new RangeError(`Invalid key reference '${keyReference}': expected 0x followed by up to 16 hex digits`);
  }
  return bigintToBytes(BigInt(keyReference), 8);
}

function marked(keyReference: string): Uint8Array {
  const out = new Uint8Array(REFERENCE_MARKER.length + 8);
  out.set(REFERENCE_MARKER);
  out.set(referenceBytes(keyReference), REFERENCE_MARKER.length);
  return out;
}

/** The key reference inside a marked secret field, or undefined when the field is a real secret. */
function unmark(field: Uint8Array): string | undefined {
  if (field.length !== REFERENCE_MARKER.length + 8) return undefined;
  if (!REFERENCE_MARKER.every((b, i) => field[i] === b)) return undefined;
  return `0x${toHex(field.subarray(REFERENCE_MARKER.length))}`;
}

const EC_PUBLIC_KEY_OID = '1.2.840.10045.2.1';
const RSA_ENCRYPTION_OID = '1.2.840.113549.1.1.1';

/**
 * The public fields of a SubjectPublicKeyInfo the HSM exported, read with the DER reader alone:
 * the HSM has already validated the key, and the page need not carry curve arithmetic to copy a
 * curve OID and a point.
 */
function publicFields(spki: Uint8Array): { kind: 'ec'; curveOid: string; point: Uint8Array } | { kind: 'rsa'; n: bigint; e: bigint } {
  const [algorithm, key] = readSequence(parseDer(spki), 'SubjectPublicKeyInfo', 2);
  const [oid, params] = readSequence(algorithm!, 'AlgorithmIdentifier', 1, 2);
  const algorithmOid = readOid(oid!, 'public key algorithm');
  const bits = readBitString(key!, 'subjectPublicKey');
  if (algorithmOid === EC_PUBLIC_KEY_OID && params) return { kind: 'ec', curveOid: readOid(params, 'EC curve'), point: bits };
  if (algorithmOid === RSA_ENCRYPTION_OID) {
    const [n, e] = readSequence(parseDer(bits), 'RSAPublicKey', 2);
    return { kind: 'rsa', n: readUnsignedInteger(n!, 'modulus'), e: readUnsignedInteger(e!, 'publicExponent') };
  }
  throw new RangeError(`A reference PEM needs an EC or RSA key, not algorithm ${algorithmOid}`);
}

/**
 * The reference PEM of a private key, from its key reference and the SubjectPublicKeyInfo of its
 * public half (what `key.export-pem` answers).
 */
export function referencePem(keyReference: string, publicKeySpki: Uint8Array): string {
  const publicKey = publicFields(publicKeySpki);
  const marker = marked(keyReference);
  if (publicKey.kind === 'ec') {
    const der = derSequence(derInteger(1n), derOctetString(marker), derContext(0, derOid(publicKey.curveOid)), derContext(1, derBitString(publicKey.point)));
    return toPem('EC PRIVATE KEY', der);
  }
  const zero = derInteger(0n);
  const der = derSequence(derInteger(0n), derInteger(publicKey.n), derInteger(publicKey.e), derInteger(bytesToBigint(marker)), zero, zero, zero, zero, zero);
  return toPem('RSA PRIVATE KEY', der);
}

/**
 * Reads a reference PEM back: which key it names. Answers undefined for a PEM that is not a
 * reference (a real private key, a public key); throws on text that is not PEM/DER at all.
 * (KMU's `IsValidKeyHandlefile` tells the two kinds apart the same way.)
 */
export function readReferencePem(pem: string): KeyReferenceFile | undefined {
  const { label, der } = fromPem(pem);
  if (label === 'EC PRIVATE KEY') {
    const [version, secret, params] = readSequence(parseDer(der), 'ECPrivateKey', 2, 4);
    if (!version || !secret || readUnsignedInteger(version, 'ECPrivateKey version') !== 1n) return undefined;
    if (params && params.tag === contextTag(0)) readOid(parseDer(params.content), 'ECPrivateKey parameters');
    const keyReference = unmark(readOctetString(secret, 'ECPrivateKey privateKey'));
    return keyReference === undefined ? undefined : { keyReference, keyType: 'ec' };
  }
  if (label === 'RSA PRIVATE KEY') {
    const fields = readSequence(parseDer(der), 'RSAPrivateKey', 9, 10);
    const d = fields[3];
    if (!d) return undefined;
    const keyReference = unmark(bigintToBytes(readUnsignedInteger(d, 'RSAPrivateKey privateExponent')));
    return keyReference === undefined ? undefined : { keyReference, keyType: 'rsa' };
  }
  return undefined;
}
