/**
 * ECDSA on the curves CloudHSM offers — secp224r1, P-256, P-384, P-521 and secp256k1 — over
 * @noble/curves: key generation from a {@link RandomSource} (so seeded runs repeat), signing with
 * RFC 6979 deterministic nonces whose HMAC uses the signing hash (as RFC 6979 §3.2 says), and
 * verification. Signatures are raw r‖s of fixed width (2 × the order's byte length), the form
 * CloudHSM prints; {@link rawToDerSignature} / {@link derToRawSignature} convert to and from the
 * DER form OpenSSL uses. Like OpenSSL, signing does not normalise s and verification accepts
 * high-S signatures on every curve. secp224r1 is not in noble: it is built here from the SEC 2
 * parameters with noble's generic Weierstrass constructor. (noble blinds the nonce inversion
 * with platform randomness; that never changes a signature, so seeded runs still repeat.)
 * @module
 */
import { ecdsa, weierstrass, type ECDSA, type WeierstrassPointCons } from '@noble/curves/abstract/weierstrass.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bigintToBytes, bytesToBigint, concatBytes } from './bytes.ts';
import { derInteger, derSequence, parseDer, readSequence, readUnsignedInteger } from './der.ts';
import { CryptoError } from './errors.ts';
import { assertHashName, digest, hashLength, nobleHash, type HashName } from './hash.ts';
import type { RandomSource } from './random.ts';

/** The curves, by the short names this code uses. */
export type CurveId = 'secp224r1' | 'p256' | 'p384' | 'p521' | 'secp256k1';

/** What a caller may need to know about a curve. */
export interface CurveInfo {
  readonly id: CurveId;
  /** The names `cloudhsm-cli --curve` accepts for it; the first is the one CloudHSM prints. */
  readonly cloudHsmNames: readonly string[];
  /** The OpenSSL / node:crypto `namedCurve`. */
  readonly opensslName: string;
  /** The namedCurve OID used in SPKI and PKCS#8. */
  readonly oid: string;
  /** Bytes of a field element (X or Y); an uncompressed point is 1 + 2 × this. */
  readonly fieldBytes: number;
  /** Bytes of a scalar (private key, r, s); a raw signature is 2 × this. */
  readonly scalarBytes: number;
  /** Bit length of the group order. */
  readonly orderBits: number;
}

/** Curve metadata, keyed by {@link CurveId}. */
export const CURVES: Readonly<Record<CurveId, CurveInfo>> = {
  secp224r1: {
    id: 'secp224r1',
    cloudHsmNames: ['secp224r1'],
    opensslName: 'secp224r1',
    oid: '1.3.132.0.33',
    fieldBytes: 28,
    scalarBytes: 28,
    orderBits: 224,
  },
  p256: {
    id: 'p256',
    cloudHsmNames: ['prime256v1', 'secp256r1'],
    opensslName: 'prime256v1',
    oid: '1.2.840.10045.3.1.7',
    fieldBytes: 32,
    scalarBytes: 32,
    orderBits: 256,
  },
  p384: {
    id: 'p384',
    cloudHsmNames: ['secp384r1'],
    opensslName: 'secp384r1',
    oid: '1.3.132.0.34',
    fieldBytes: 48,
    scalarBytes: 48,
    orderBits: 384,
  },
  p521: {
    id: 'p521',
    cloudHsmNames: ['secp521r1'],
    opensslName: 'secp521r1',
    oid: '1.3.132.0.35',
    fieldBytes: 66,
    scalarBytes: 66,
    orderBits: 521,
  },
  secp256k1: {
    id: 'secp256k1',
    cloudHsmNames: ['secp256k1'],
    opensslName: 'secp256k1',
    oid: '1.3.132.0.10',
    fieldBytes: 32,
    scalarBytes: 32,
    orderBits: 256,
  },
};

/** Every curve id, in the order CloudHSM lists them. */
export const CURVE_IDS: readonly CurveId[] = ['secp224r1', 'p256', 'p384', 'p521', 'secp256k1'];

/**
 * The curve for a CloudHSM / OpenSSL curve name (`prime256v1`, `secp256r1`, `secp384r1`, …).
 * @throws CryptoError 'unsupported' naming the accepted names.
 */
export function curveFromName(cloudHsmName: string): CurveId {
  for (const id of CURVE_IDS) if (CURVES[id].cloudHsmNames.includes(cloudHsmName)) return id;
  const known = CURVE_IDS.flatMap((id) => CURVES[id].cloudHsmNames).join(', ');
  throw new CryptoError('unsupported', `unknown EC curve "${cloudHsmName}"; expected one of ${known}`);
}

/** The curve whose namedCurve OID this is, or undefined. */
export function curveFromOid(oid: string): CurveId | undefined {
  return CURVE_IDS.find((id) => CURVES[id].oid === oid);
}

/** The curve with this OpenSSL / node:crypto `namedCurve`, or undefined. */
export function curveFromOpensslName(name: string): CurveId | undefined {
  return CURVE_IDS.find((id) => CURVES[id].opensslName === name);
}

// SEC 2 v2 §2.4.2 (= NIST P-224): the parameters of secp224r1.
const secp224r1Point: WeierstrassPointCons<bigint> = /* @__PURE__ */ weierstrass({
  p: 0xffffffffffffffffffffffffffffffff000000000000000000000001n,
  n: 0xffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3dn,
  h: 1n,
  a: 0xfffffffffffffffffffffffffffffffefffffffffffffffffffffffen,
  b: 0xb4050a850c04b3abf54132565044b0b7d7bfd8ba270b39432355ffb4n,
  Gx: 0xb70e0cbd6bb4bf7f321390b94a03c1d356c21122343280d6115c1d21n,
  Gy: 0xbd376388b5f723fb4c22dfe6cd4375a05a07476444d5819985007e34n,
});

const POINTS: Record<CurveId, WeierstrassPointCons<bigint>> = {
  secp224r1: secp224r1Point,
  p256: p256.Point,
  p384: p384.Point,
  p521: p521.Point,
  secp256k1: secp256k1.Point,
};

// One noble ECDSA instance per (curve, hash): the instance's hash drives the RFC 6979 HMAC-DRBG,
// which must be the message hash for the published vectors (and OpenSSL 3.2+) to match.
const instances = new Map<string, ECDSA>();

function engine(curve: CurveId, hash: HashName): ECDSA {
  const key = `${curve}/${hash}`;
  let instance = instances.get(key);
  if (instance === undefined) {
    instance = ecdsa(POINTS[curve], nobleHash(hash));
    instances.set(key, instance);
  }
  return instance;
}

function checkCurve(curve: CurveId): CurveInfo {
  const info = (CURVES as Record<string, CurveInfo | undefined>)[curve];
  if (info === undefined) throw new CryptoError('unsupported', `unknown curve id "${String(curve)}"; expected one of ${CURVE_IDS.join(', ')}`);
  return info;
}

function checkBytes(value: unknown, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new CryptoError('bad-input', `${what} must be a Uint8Array`);
}

function checkPrivateKey(curve: CurveId, privateKey: Uint8Array): bigint {
  const info = checkCurve(curve);
  checkBytes(privateKey, 'EC private key');
  if (privateKey.length !== info.scalarBytes)
    throw new CryptoError('bad-key', `EC private key for ${curve} must be ${info.scalarBytes} bytes, got ${privateKey.length}`);
  const d = bytesToBigint(privateKey);
  if (d === 0n || d >= POINTS[curve].Fn.ORDER)
    throw new CryptoError('bad-key', `EC private key for ${curve} must be in [1, n-1] (n = the curve order)`);
  return d;
}

/**
 * Checks an encoded public point (uncompressed 0x04‖X‖Y, or compressed 0x02/0x03‖X) and
 * returns it uncompressed.
 * @throws CryptoError 'bad-point' if the length is wrong or the point is not on the curve.
 */
export function ecValidatePublicKey(curve: CurveId, publicKey: Uint8Array): Uint8Array {
  const info = checkCurve(curve);
  checkBytes(publicKey, 'EC public key');
  const full = 1 + 2 * info.fieldBytes;
  const compressed = 1 + info.fieldBytes;
  if (publicKey.length !== full && publicKey.length !== compressed)
    throw new CryptoError(
      'bad-point',
      `EC public key for ${curve} must be ${full} bytes (0x04‖X‖Y) or ${compressed} bytes (compressed), got ${publicKey.length}`,
    );
  const prefix = publicKey[0];
  if (publicKey.length === full ? prefix !== 0x04 : prefix !== 0x02 && prefix !== 0x03)
    throw new CryptoError('bad-point', `EC public key for ${curve} has an invalid prefix byte 0x${(prefix ?? 0).toString(16).padStart(2, '0')}`);
  try {
    const point = POINTS[curve].fromBytes(publicKey);
    point.assertValidity();
    return point.toBytes(false);
  } catch {
    throw new CryptoError('bad-point', `EC public key is not a point on ${curve}`);
  }
}

/**
 * A new key pair. All randomness comes from `random`; the scalar is derived from
 * 1.5 × scalar-length random bytes reduced mod n (FIPS 186-5 A.2.1), so the same bytes give the
 * same key.
 */
export function ecGenerateKeyPair(curve: CurveId, random: RandomSource): { privateKey: Uint8Array; publicKey: Uint8Array } {
  checkCurve(curve);
  const noble = engine(curve, 'sha256');
  const seed = random.bytes(noble.lengths.seed ?? 0);
  const privateKey = noble.utils.randomSecretKey(seed);
  return { privateKey, publicKey: noble.getPublicKey(privateKey, false) };
}

/** The uncompressed public point 0x04‖X‖Y of a private scalar. */
export function ecPublicKey(curve: CurveId, privateKey: Uint8Array): Uint8Array {
  checkPrivateKey(curve, privateKey);
  return engine(curve, 'sha256').getPublicKey(privateKey, false);
}

/** Options for ECDSA sign and verify. */
export interface EcdsaOptions {
  /** The message hash (also the RFC 6979 HMAC hash when signing). */
  hash: HashName;
  /** `data` is already the digest (CloudHSM `--data-type digest`); it must be the hash's length. */
  prehashed?: boolean;
}

function messageDigest(data: Uint8Array, opts: EcdsaOptions): Uint8Array {
  checkBytes(data, 'data');
  assertHashName(opts.hash);
  if (opts.prehashed === true) {
    const length = hashLength(opts.hash);
    if (data.length !== length)
      throw new CryptoError('bad-input', `a ${opts.hash} digest must be ${length} bytes, got ${data.length}`);
    return data;
  }
  return digest(opts.hash, data);
}

/**
 * Sign: raw r‖s (2 × scalar bytes). Deterministic (RFC 6979 with HMAC-`hash`), s not normalised.
 * @throws CryptoError 'bad-key' for a wrong-length or out-of-range private key.
 */
export function ecdsaSign(curve: CurveId, privateKey: Uint8Array, data: Uint8Array, opts: EcdsaOptions): Uint8Array {
  checkPrivateKey(curve, privateKey);
  const digest = messageDigest(data, opts);
  return engine(curve, opts.hash).sign(digest, privateKey, { prehash: false, lowS: false, format: 'compact' });
}

/**
 * Verify a raw r‖s signature. Accepts high-S. Returns false — never throws — for a signature
 * that is wrong, of the wrong length, or with r or s outside [1, n-1].
 * @throws CryptoError 'bad-point' if the public key is malformed or not on the curve.
 */
export function ecdsaVerify(
  curve: CurveId,
  publicKey: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
  opts: EcdsaOptions,
): boolean {
  const info = checkCurve(curve);
  const point = ecValidatePublicKey(curve, publicKey);
  const digest = messageDigest(data, opts);
  if (!(signature instanceof Uint8Array) || signature.length !== 2 * info.scalarBytes) return false;
  try {
    return engine(curve, opts.hash).verify(signature, digest, point, { prehash: false, lowS: false, format: 'compact' });
  } catch {
    return false;
  }
}

/** Raw r‖s → DER `SEQUENCE { INTEGER r, INTEGER s }` (the OpenSSL form). */
export function rawToDerSignature(raw: Uint8Array): Uint8Array {
  checkBytes(raw, 'raw signature');
  if (raw.length === 0 || raw.length % 2 !== 0)
    throw new CryptoError('bad-signature', `raw ECDSA signature must be r‖s of equal halves, got ${raw.length} bytes`);
  const half = raw.length / 2;
  return derSequence(derInteger(bytesToBigint(raw.subarray(0, half))), derInteger(bytesToBigint(raw.subarray(half))));
}

/**
 * DER signature → raw r‖s padded to the curve's width.
 * @throws CryptoError 'bad-signature' if the DER is malformed or r / s do not fit the curve.
 */
export function derToRawSignature(der: Uint8Array, curve: CurveId): Uint8Array {
  const info = checkCurve(curve);
  checkBytes(der, 'DER signature');
  let r: bigint;
  let s: bigint;
  try {
    const [rNode, sNode] = readSequence(parseDer(der), 'ECDSA signature', 2) as [ReturnType<typeof parseDer>, ReturnType<typeof parseDer>];
    r = readUnsignedInteger(rNode, 'ECDSA signature r');
    s = readUnsignedInteger(sNode, 'ECDSA signature s');
  } catch (error) {
    throw new CryptoError('bad-signature', error instanceof Error ? error.message : String(error));
  }
  const limit = 1n << BigInt(8 * info.scalarBytes);
  if (r >= limit || s >= limit)
    throw new CryptoError('bad-signature', `ECDSA signature r or s is wider than ${info.scalarBytes} bytes for ${curve}`);
  return concatBytes(bigintToBytes(r, info.scalarBytes), bigintToBytes(s, info.scalarBytes));
}
