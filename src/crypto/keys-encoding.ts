/**
 * Standard encodings of EC and RSA keys, as OpenSSL and node:crypto write them:
 * SubjectPublicKeyInfo (RFC 5280 §4.1, RFC 5480 for EC, RFC 8017 A.1.1 for RSA),
 * PKCS#8 PrivateKeyInfo (RFC 5208) holding an ECPrivateKey (RFC 5915) or an RSAPrivateKey
 * (RFC 8017 A.1.2), and PEM armour (RFC 7468). Parsing is strict DER; every refusal is a
 * CryptoError naming what was wrong ('bad-encoding' for structure, 'unsupported' for a
 * well-formed key of a kind we do not handle, 'bad-point' / 'bad-key' for bad key values).
 * @module
 */
import {
  contextTag,
  DER_TAG,
  derBitString,
  derContext,
  derInteger,
  derNull,
  derOctetString,
  derOid,
  derSequence,
  parseDer,
  readBitString,
  readChildren,
  readNull,
  readOctetString,
  readOid,
  readSequence,
  readUnsignedInteger,
  type DerNode,
} from './der.ts';
import { CURVES, curveFromOid, ecPublicKey, ecValidatePublicKey, type CurveId } from './ecdsa.ts';
import { CryptoError } from './errors.ts';
import { rsaCheckPrivateKey, rsaCheckPublicKey, type RsaPrivateKey, type RsaPublicKey } from './rsa.ts';

const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const OID_RSA_PSS = '1.2.840.113549.1.1.10';

/** A public key read from SPKI. */
export type DecodedPublicKey = { kind: 'ec'; curve: CurveId; point: Uint8Array } | { kind: 'rsa'; key: RsaPublicKey };

/** A private key read from PKCS#8. */
export type DecodedPrivateKey =
  | { kind: 'ec'; curve: CurveId; privateKey: Uint8Array; publicKey: Uint8Array }
  | { kind: 'rsa'; key: RsaPrivateKey };

// ---------------------------------------------------------------------------------------------
// SubjectPublicKeyInfo
// ---------------------------------------------------------------------------------------------

/** SPKI DER of an EC public point (written uncompressed). */
export function ecPublicKeyToSpki(curve: CurveId, point: Uint8Array): Uint8Array {
  const uncompressed = ecValidatePublicKey(curve, point);
  return derSequence(derSequence(derOid(OID_EC_PUBLIC_KEY), derOid(CURVES[curve].oid)), derBitString(uncompressed));
}

/** PKCS#1 RSAPublicKey DER: SEQUENCE { n, e }. */
export function rsaPublicKeyToPkcs1(pub: RsaPublicKey): Uint8Array {
  rsaCheckPublicKey(pub);
  return derSequence(derInteger(pub.n), derInteger(pub.e));
}

/** SPKI DER of an RSA public key (rsaEncryption with NULL parameters). */
export function rsaPublicKeyToSpki(pub: RsaPublicKey): Uint8Array {
  return derSequence(derSequence(derOid(OID_RSA_ENCRYPTION), derNull()), derBitString(rsaPublicKeyToPkcs1(pub)));
}

/** Reads a PKCS#1 RSAPublicKey. */
export function pkcs1ToRsaPublicKey(der: Uint8Array): RsaPublicKey {
  const [n, e] = readSequence(parseDer(der), 'RSAPublicKey', 2) as [DerNode, DerNode];
  const key = { n: readUnsignedInteger(n, 'RSAPublicKey modulus'), e: readUnsignedInteger(e, 'RSAPublicKey publicExponent') };
  rsaCheckPublicKey(key);
  return key;
}

function unsupportedAlgorithm(oid: string, where: string): never {
  if (oid === OID_RSA_PSS)
    throw new CryptoError('unsupported', `${where}: RSASSA-PSS-restricted keys (OID ${oid}) are not supported; use rsaEncryption keys`);
  throw new CryptoError('unsupported', `${where}: unsupported key algorithm OID ${oid} (expected EC ${OID_EC_PUBLIC_KEY} or RSA ${OID_RSA_ENCRYPTION})`);
}

/** Reads the namedCurve parameter of an EC AlgorithmIdentifier. */
function readCurveParameter(node: DerNode | undefined, where: string): CurveId {
  if (node === undefined) throw new CryptoError('bad-encoding', `${where}: EC algorithm identifier has no curve parameter`);
  if (node.tag !== DER_TAG.oid)
    throw new CryptoError('unsupported', `${where}: EC keys with explicit curve parameters are not supported; use a named curve`);
  const oid = readOid(node, `${where} curve`);
  const curve = curveFromOid(oid);
  if (curve === undefined) throw new CryptoError('unsupported', `${where}: unsupported EC curve OID ${oid}`);
  return curve;
}

function readAlgorithm(node: DerNode, where: string): { oid: string; parameters: DerNode | undefined } {
  const [oidNode, parameters] = readSequence(node, `${where} AlgorithmIdentifier`, 1, 2) as [DerNode, DerNode | undefined];
  return { oid: readOid(oidNode, `${where} algorithm`), parameters };
}

function checkRsaParameters(parameters: DerNode | undefined, where: string): void {
  // RFC 8017 A.1: the parameters of rsaEncryption shall be NULL; some writers omit them.
  if (parameters !== undefined) readNull(parameters, `${where} rsaEncryption parameters`);
}

/** Reads an SPKI (EC on a supported named curve, or RSA). */
export function spkiToPublicKey(der: Uint8Array): DecodedPublicKey {
  const where = 'SubjectPublicKeyInfo';
  const [algorithm, keyBits] = readSequence(parseDer(der), where, 2) as [DerNode, DerNode];
  const { oid, parameters } = readAlgorithm(algorithm, where);
  const keyBytes = readBitString(keyBits, `${where} subjectPublicKey`);
  if (oid === OID_EC_PUBLIC_KEY) {
    const curve = readCurveParameter(parameters, where);
    return { kind: 'ec', curve, point: ecValidatePublicKey(curve, keyBytes) };
  }
  if (oid === OID_RSA_ENCRYPTION) {
    checkRsaParameters(parameters, where);
    return { kind: 'rsa', key: pkcs1ToRsaPublicKey(keyBytes) };
  }
  return unsupportedAlgorithm(oid, where);
}

// ---------------------------------------------------------------------------------------------
// PKCS#8
// ---------------------------------------------------------------------------------------------

/** PKCS#8 DER of an EC key; the ECPrivateKey carries the public point, as OpenSSL writes it. */
export function ecPrivateKeyToPkcs8(curve: CurveId, privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const derived = ecPublicKey(curve, privateKey);
  const given = ecValidatePublicKey(curve, publicKey);
  if (derived.length !== given.length || derived.some((byte, i) => byte !== given[i]))
    throw new CryptoError('bad-key', `EC public key does not belong to the private key (${curve})`);
  const ecPrivateKey = derSequence(derInteger(1n), derOctetString(privateKey), derContext(1, derBitString(derived)));
  return derSequence(
    derInteger(0n),
    derSequence(derOid(OID_EC_PUBLIC_KEY), derOid(CURVES[curve].oid)),
    derOctetString(ecPrivateKey),
  );
}

/** PKCS#1 RSAPrivateKey DER (version 0, two primes). */
export function rsaPrivateKeyToPkcs1(key: RsaPrivateKey): Uint8Array {
  rsaCheckPrivateKey(key);
  return derSequence(...[0n, key.n, key.e, key.d, key.p, key.q, key.dp, key.dq, key.qi].map(derInteger));
}

/** PKCS#8 DER of an RSA key. */
export function rsaPrivateKeyToPkcs8(key: RsaPrivateKey): Uint8Array {
  return derSequence(derInteger(0n), derSequence(derOid(OID_RSA_ENCRYPTION), derNull()), derOctetString(rsaPrivateKeyToPkcs1(key)));
}

const RSA_PRIVATE_FIELDS = ['version', 'modulus', 'publicExponent', 'privateExponent', 'prime1', 'prime2', 'exponent1', 'exponent2', 'coefficient'];

/** Reads a PKCS#1 RSAPrivateKey (two-prime only). */
export function pkcs1ToRsaPrivateKey(der: Uint8Array): RsaPrivateKey {
  const items = readSequence(parseDer(der), 'RSAPrivateKey', 9, 10);
  if (items.length === 10) throw new CryptoError('unsupported', 'RSAPrivateKey: multi-prime RSA keys are not supported');
  const values = items.map((item, i) => readUnsignedInteger(item, `RSAPrivateKey ${RSA_PRIVATE_FIELDS[i]!}`));
  const [version, n, e, d, p, q, dp, dq, qi] = values as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
  if (version !== 0n) throw new CryptoError('unsupported', `RSAPrivateKey: version must be 0 (two-prime), got ${version}`);
  const key: RsaPrivateKey = { n, e, d, p, q, dp, dq, qi };
  rsaCheckPrivateKey(key);
  return key;
}

function readEcPrivateKey(der: Uint8Array, curve: CurveId): { privateKey: Uint8Array; publicKey: Uint8Array } {
  const where = 'ECPrivateKey';
  const items = readSequence(parseDer(der), where, 2, 4);
  const version = readUnsignedInteger(items[0]!, `${where} version`);
  if (version !== 1n) throw new CryptoError('bad-encoding', `${where}: version must be 1, got ${version}`);
  const scalar = readOctetString(items[1]!, `${where} privateKey`);
  const size = CURVES[curve].scalarBytes;
  if (scalar.length !== size)
    throw new CryptoError('bad-key', `${where}: private key for ${curve} must be ${size} bytes, got ${scalar.length}`);
  let embeddedPoint: Uint8Array | undefined;
  let lastTag = -1;
  for (const item of items.slice(2)) {
    if (item.tag <= lastTag) throw new CryptoError('bad-encoding', `${where}: optional fields out of order`);
    lastTag = item.tag;
    const [inner, ...extra] = readChildren(item);
    if (inner === undefined || extra.length > 0)
      throw new CryptoError('bad-encoding', `${where}: an explicit tag must hold exactly one element`);
    if (item.tag === contextTag(0)) {
      if (readCurveParameter(inner, where) !== curve)
        throw new CryptoError('bad-encoding', `${where}: its curve parameter disagrees with the PKCS#8 algorithm (${curve})`);
    } else if (item.tag === contextTag(1)) {
      embeddedPoint = readBitString(inner, `${where} publicKey`);
    } else {
      throw new CryptoError('bad-encoding', `${where}: unexpected field with tag 0x${item.tag.toString(16)}`);
    }
  }
  const privateKey = scalar.slice();
  const publicKey = ecPublicKey(curve, privateKey);
  if (embeddedPoint !== undefined) {
    const given = ecValidatePublicKey(curve, embeddedPoint);
    if (given.some((byte, i) => byte !== publicKey[i]))
      throw new CryptoError('bad-key', `${where}: the embedded public key does not match the private key`);
  }
  return { privateKey, publicKey };
}

/** Reads a PKCS#8 PrivateKeyInfo (v1, or v2 / OneAsymmetricKey whose extra fields are ignored). */
export function pkcs8ToPrivateKey(der: Uint8Array): DecodedPrivateKey {
  const where = 'PrivateKeyInfo';
  const items = readSequence(parseDer(der), where, 3, 5);
  const version = readUnsignedInteger(items[0]!, `${where} version`);
  if (version > 1n) throw new CryptoError('bad-encoding', `${where}: version must be 0 or 1, got ${version}`);
  const { oid, parameters } = readAlgorithm(items[1]!, where);
  const keyBytes = readOctetString(items[2]!, `${where} privateKey`);
  for (const item of items.slice(3)) {
    if ((item.tag & 0xe0) !== 0xa0 && (item.tag & 0xe0) !== 0x80)
      throw new CryptoError('bad-encoding', `${where}: unexpected trailing field with tag 0x${item.tag.toString(16)}`);
  }
  if (oid === OID_EC_PUBLIC_KEY) {
    const curve = readCurveParameter(parameters, where);
    return { kind: 'ec', curve, ...readEcPrivateKey(keyBytes, curve) };
  }
  if (oid === OID_RSA_ENCRYPTION) {
    checkRsaParameters(parameters, where);
    return { kind: 'rsa', key: pkcs1ToRsaPrivateKey(keyBytes) };
  }
  return unsupportedAlgorithm(oid, where);
}

export { toPem, fromPem } from './pem.ts';
