/**
 * Handlers of the cryptographic operations of one HSM: sign / verify (ECDSA, RSA PKCS#1 v1.5,
 * RSA-PSS; spec §4.7), AES encrypt / decrypt (GCM, CBC, CTR), and the simulator's HMAC and digest
 * extensions (spec §4.8), and AES key wrap as a cipher (`aes-kw` RFC 3394, `aes-kwp` RFC 5649) for
 * KMU `aesWrapUnwrap`. The key is chosen by filter within the caller's scope (owned, shared, or
 * any public key), must carry the usage attribute of the operation, and never leaves the HSM.
 * @module
 */
import {
  aesGcmDecryptAsync,
  aesGcmEncryptAsync,
  signEcdsa,
  signRsaPkcs1,
  signRsaPss,
  verifyEcdsa,
  verifyRsaPkcs1,
  verifyRsaPss,
} from '../../crypto/accelerated.ts';
import { aesCbcDecrypt, aesCbcEncrypt, aesCtr } from '../../crypto/aes.ts';
import { equalBytes, toBase64, toHex } from '../../crypto/bytes.ts';
import { digest, hashLength, type HashName } from '../../crypto/hash.ts';
import { hmac, hmacVerify } from '../../crypto/hmac.ts';
import { digestInfo } from '../../crypto/rsa.ts';
import type { Handlers, RequestContext } from '../context.ts';
import { HsmError } from '../envelope.ts';
import type { CipherMechanism, KeyWrapCipherMechanism, SignMechanism } from '../requests.ts';
import type { KeyRecord } from '../state.ts';
import { requireAttribute, requireNoQuorum } from '../keys/access.ts';
import {
  optionalBytes,
  optionalHash,
  optionalInteger,
  requireBytes,
  requireFilter,
  requireHash,
  requireOneOf,
  rawArgs,
  type RawArgs,
} from '../keys/arguments.ts';
import { usingCrypto, usingCryptoAsync } from '../keys/crypto-call.ts';
import { findOneKey } from '../keys/filter.ts';
import { formatKeyReference } from '../keys/key-json.ts';
import { loadKeyOnce } from '../keys/loaded-keys.ts';
import { loadKey, type ParsedKey } from '../keys/material.ts';
import { aesKwDecrypt, aesKwEncrypt, aesKwpDecrypt, aesKwpEncrypt, DEFAULT_KW_IV } from '../key-wrap-cipher.ts';

type Args = RawArgs;

const SIGN_MECHANISMS: readonly SignMechanism[] = ['ecdsa', 'rsa-pkcs', 'rsa-pkcs-pss'];
const CIPHER_MECHANISMS: readonly (CipherMechanism | KeyWrapCipherMechanism)[] = ['aes-gcm', 'aes-cbc', 'aes-ctr', 'aes-kw', 'aes-kwp'];

/** Spec §2.4: the HSM hashes up to 16 KB, the client up to 64 KB; more fails. */
export const MAX_SIGN_DATA_BYTES = 64 * 1024;
/** IV the HSM draws for AES-GCM when none is given (96 bits). */
export const GCM_IV_BYTES = 12;
const BLOCK_IV_BYTES = 16;

/** How sign/verify read `--data`: the message itself, or its digest. */
interface SignInput {
  readonly mechanism: SignMechanism;
  readonly hash: HashName;
  readonly data: Uint8Array;
  readonly prehashed: boolean;
  readonly mgf: HashName;
  readonly saltLength: number;
}

function signInput(args: Args): SignInput {
  const mechanism = requireOneOf(args['mechanism'], 'mechanism', SIGN_MECHANISMS);
  const hash = requireHash(args['hashFunction'], 'hashFunction');
  let data = requireBytes(args['data'], 'data');
  const dataType = args['dataType'] === undefined ? 'raw' : requireOneOf(args['dataType'], 'dataType', ['raw', 'digest'] as const);
  const mgf = optionalHash(args['mgf'], 'mgf') ?? hash;
  const saltLength = optionalInteger(args['saltLength'], 'saltLength') ?? hashLength(hash);
  if (mechanism === 'rsa-pkcs-pss' && mgf !== hash) {
    throw new HsmError('bad-request', `Invalid --mgf mgf1-${mgf}: it must match --hash-function ${hash}`);
  }
  if (saltLength < 0) throw new HsmError('bad-request', `Invalid --salt-length ${saltLength}: it must not be negative`);
  if (dataType === 'raw' && data.length > MAX_SIGN_DATA_BYTES) {
    throw new HsmError('bad-request', `Data too large: at most ${MAX_SIGN_DATA_BYTES} bytes can be signed, got ${data.length}`);
  }
  if (dataType === 'digest') {
    const length = hashLength(hash);
    // RSA PKCS#1 v1.5 digests may be given as the DER DigestInfo (spec §4.7); take the hash out of it.
    if (mechanism === 'rsa-pkcs' && data.length > length && equalBytes(digestInfo(hash, data.subarray(data.length - length)), data)) {
      data = data.subarray(data.length - length);
    }
    if (data.length !== length) {
      throw new HsmError('bad-request', `Invalid digest: a ${hash} digest is ${length} bytes, got ${data.length}`);
    }
  }
  return { mechanism, hash, data, prehashed: dataType === 'digest', mgf, saltLength };
}

/** The key a sign/verify mechanism needs: EC for ecdsa, RSA for the others, of the given class. */
function checkSignKey(key: KeyRecord, mechanism: SignMechanism, keyClass: 'private-key' | 'public-key'): void {
  const wantedType = mechanism === 'ecdsa' ? 'ec' : 'rsa';
  const type = key.attributes['key-type'];
  if (type !== wantedType || key.attributes.class !== keyClass) {
    const half = keyClass === 'private-key' ? 'private' : 'public';
    throw new HsmError(
      'key-not-permitted',
      `Mechanism ${mechanism} needs ${wantedType === 'ec' ? 'an EC' : 'an RSA'} ${half} key; key ${formatKeyReference(key.handle)} is ${String(type)} ${String(key.attributes.class)}`,
    );
  }
}

function aesKeyOf(key: KeyRecord, action: string): Uint8Array {
  if (key.attributes['key-type'] !== 'aes') {
    throw new HsmError('key-not-permitted', `Only AES keys can ${action}; key ${formatKeyReference(key.handle)} is ${String(key.attributes['key-type'])}`);
  }
  const parsed = loadKeyOnce(key);
  if (parsed.kind !== 'secret') throw new HsmError('internal-error', 'AES key material is not a secret');
  return parsed.bytes;
}

function macKeyOf(key: KeyRecord): Uint8Array {
  const type = key.attributes['key-type'];
  if (type !== 'generic-secret' && type !== 'aes') {
    throw new HsmError('key-not-permitted', `HMAC needs a generic-secret or AES key; key ${formatKeyReference(key.handle)} is ${String(type)}`);
  }
  return (loadKey(key) as Extract<ParsedKey, { kind: 'secret' }>).bytes;
}

function gcmTagBytes(args: Args): number {
  const bits = optionalInteger(args['tagLengthBits'], 'tagLengthBits') ?? 128;
  if (bits % 8 !== 0) throw new HsmError('bad-request', `Invalid --tag-length-bits ${bits}: it must be a multiple of 8`);
  return bits / 8;
}

/** RFC 3394 (`aes-kw`, optional 8-byte IV) or RFC 5649 (`aes-kwp`, no IV) in either direction. */
function keyWrapCipher(mechanism: KeyWrapCipherMechanism, direction: 'encrypt' | 'decrypt', aes: Uint8Array, data: Uint8Array, iv: Uint8Array | undefined): Uint8Array {
  if (mechanism === 'aes-kwp') {
    if (iv !== undefined) throw new HsmError('bad-request', '--iv does not apply to aes-kwp: RFC 5649 has a fixed initial value');
    return direction === 'encrypt' ? aesKwpEncrypt(aes, data) : aesKwpDecrypt(aes, data);
  }
  return direction === 'encrypt' ? aesKwEncrypt(aes, data, iv) : aesKwDecrypt(aes, data, iv);
}

interface CipherInput {
  readonly mechanism: CipherMechanism | KeyWrapCipherMechanism;
  readonly key: KeyRecord;
  readonly aes: Uint8Array;
  readonly data: Uint8Array;
  readonly aad: Uint8Array | undefined;
}

function cipherInput(ctx: RequestContext, args: Args, usage: 'encrypt' | 'decrypt'): CipherInput {
  const mechanism = requireOneOf(args['mechanism'], 'mechanism', CIPHER_MECHANISMS);
  const data = requireBytes(args['data'], 'data');
  const aad = optionalBytes(args['aad'], 'aad');
  if (aad !== undefined && mechanism !== 'aes-gcm') throw new HsmError('bad-request', `--aad applies to aes-gcm only, not ${mechanism}`);
  const key = findOneKey(ctx, requireFilter(args['keyFilter'], 'keyFilter'));
  const aes = aesKeyOf(key, usage);
  requireAttribute(key, usage, usage);
  return { mechanism, key, aes, data, aad };
}

export const cryptoHandlers = {
  // Sign, verify and AES-GCM run through the asynchronous facade: WebCrypto serves them where the
  // benchmark put it, and only unseeded (ctx.random.deterministic keeps seeded runs on noble/BigInt).
  'crypto.sign': async (ctx, a) => {
    const args = rawArgs(a);
    const input = signInput(args);
    const key = findOneKey(ctx, requireFilter(args['keyFilter'], 'keyFilter'));
    checkSignKey(key, input.mechanism, 'private-key');
    requireAttribute(key, 'sign', 'sign');
    requireNoQuorum(key, 'key-usage');
    const parsed = loadKeyOnce(key);
    const deterministic = ctx.random.deterministic;
    const signature = await usingCryptoAsync('Sign failed', () => {
      if (parsed.kind === 'ec-private') {
        return signEcdsa(parsed.curve, parsed.privateKey, input.data, { hash: input.hash, prehashed: input.prehashed, deterministic });
      }
      if (parsed.kind !== 'rsa-private') throw new HsmError('internal-error', 'signing key material is not a private key');
      if (input.mechanism === 'rsa-pkcs') return signRsaPkcs1(parsed.key, input.hash, input.data, { prehashed: input.prehashed, deterministic });
      return signRsaPss(parsed.key, input.hash, input.data, {
        mgfHash: input.mgf,
        saltLength: input.saltLength,
        random: ctx.random,
        prehashed: input.prehashed,
        deterministic,
      });
    });
    return { 'key-reference': formatKeyReference(key.handle), signature: toBase64(signature) };
  },

  'crypto.verify': async (ctx, a) => {
    const args = rawArgs(a);
    const input = signInput(args);
    const signature = requireBytes(args['signature'], 'signature');
    const key = findOneKey(ctx, requireFilter(args['keyFilter'], 'keyFilter'));
    checkSignKey(key, input.mechanism, 'public-key');
    requireAttribute(key, 'verify', 'verify');
    const parsed = loadKeyOnce(key);
    const deterministic = ctx.random.deterministic;
    const valid = await usingCryptoAsync('Verify failed', () => {
      if (parsed.kind === 'ec-public') {
        return verifyEcdsa(parsed.curve, parsed.publicKey, input.data, signature, { hash: input.hash, prehashed: input.prehashed, deterministic });
      }
      if (parsed.kind !== 'rsa-public') throw new HsmError('internal-error', 'verifying key material is not a public key');
      if (input.mechanism === 'rsa-pkcs') {
        return verifyRsaPkcs1(parsed.key, input.hash, input.data, signature, { prehashed: input.prehashed, deterministic });
      }
      return verifyRsaPss(parsed.key, input.hash, input.data, signature, {
        mgfHash: input.mgf,
        saltLength: input.saltLength,
        prehashed: input.prehashed,
        deterministic,
      });
    });
    if (!valid) throw new HsmError('verification-failed', 'Signature verification failed');
    return { message: 'Signature verified successfully' };
  },

  'crypto.encrypt': async (ctx, a) => {
    const args = rawArgs(a);
    const { mechanism, key, aes, data, aad } = cipherInput(ctx, args, 'encrypt');
    const given = optionalBytes(args['iv'], 'iv');
    if (mechanism === 'aes-kw' || mechanism === 'aes-kwp') {
      const wrapped = usingCrypto(`Encrypt with ${mechanism} failed`, () => keyWrapCipher(mechanism, 'encrypt', aes, data, given));
      const ivField = mechanism === 'aes-kw' ? { iv: `0x${toHex(given ?? DEFAULT_KW_IV)}` } : {};
      return { 'key-reference': formatKeyReference(key.handle), ...ivField, ciphertext: toBase64(wrapped) };
    }
    const tag = mechanism === 'aes-gcm' ? gcmTagBytes(args) : 0;
    const iv = given ?? ctx.random.bytes(mechanism === 'aes-gcm' ? GCM_IV_BYTES : BLOCK_IV_BYTES);
    const ciphertext = await usingCryptoAsync(`Encrypt with ${mechanism} failed`, async () => {
      if (mechanism === 'aes-gcm') return aesGcmEncryptAsync(aes, iv, data, { aad, tagLength: tag, deterministic: ctx.random.deterministic });
      if (mechanism === 'aes-cbc') return aesCbcEncrypt(aes, iv, data);
      return aesCtr(aes, iv, data);
    });
    return { 'key-reference': formatKeyReference(key.handle), iv: `0x${toHex(iv)}`, ciphertext: toBase64(ciphertext) };
  },

  'crypto.decrypt': async (ctx, a) => {
    const args = rawArgs(a);
    const { mechanism, key, aes, data, aad } = cipherInput(ctx, args, 'decrypt');
    if (mechanism === 'aes-kw' || mechanism === 'aes-kwp') {
      const given = optionalBytes(args['iv'], 'iv');
      const plaintext = usingCrypto(`Decrypt with ${mechanism} failed`, () => keyWrapCipher(mechanism, 'decrypt', aes, data, given));
      return { 'key-reference': formatKeyReference(key.handle), data: toBase64(plaintext) };
    }
    const iv = requireBytes(args['iv'], 'iv');
    const tag = mechanism === 'aes-gcm' ? gcmTagBytes(args) : 0;
    const plaintext = await usingCryptoAsync(`Decrypt with ${mechanism} failed`, async () => {
      if (mechanism === 'aes-gcm') return aesGcmDecryptAsync(aes, iv, data, { aad, tagLength: tag, deterministic: ctx.random.deterministic });
      if (mechanism === 'aes-cbc') return aesCbcDecrypt(aes, iv, data);
      return aesCtr(aes, iv, data);
    });
    return { 'key-reference': formatKeyReference(key.handle), data: toBase64(plaintext) };
  },

  'crypto.mac-generate': (ctx, a) => {
    const args = rawArgs(a);
    const hash = requireHash(args['hashFunction'], 'hashFunction');
    const data = requireBytes(args['data'], 'data');
    const key = findOneKey(ctx, requireFilter(args['keyFilter'], 'keyFilter'));
    const secret = macKeyOf(key);
    requireAttribute(key, 'sign', 'generate MACs');
    requireNoQuorum(key, 'key-usage');
    return { 'key-reference': formatKeyReference(key.handle), mac: toBase64(hmac(hash, secret, data)) };
  },

  'crypto.mac-verify': (ctx, a) => {
    const args = rawArgs(a);
    const hash = requireHash(args['hashFunction'], 'hashFunction');
    const data = requireBytes(args['data'], 'data');
    const mac = requireBytes(args['mac'], 'mac');
    const key = findOneKey(ctx, requireFilter(args['keyFilter'], 'keyFilter'));
    const secret = macKeyOf(key);
    requireAttribute(key, 'verify', 'verify MACs');
    if (!usingCrypto('MAC verify failed', () => hmacVerify(hash, secret, data, mac))) throw new HsmError('verification-failed', 'MAC verification failed');
    return { message: 'MAC verified successfully' };
  },

  'crypto.digest': (_ctx, a) => {
    const args = rawArgs(a);
    const hash = requireHash(args['hashFunction'], 'hashFunction');
    const data = requireBytes(args['data'], 'data');
    return { digest: toBase64(digest(hash, data)) };
  },
} satisfies Partial<Handlers>;
