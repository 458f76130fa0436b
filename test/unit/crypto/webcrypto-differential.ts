/**
 * The WebCrypto-vs-noble differential over Wycheproof files, shared by the Node test
 * (test/unit/crypto/webcrypto.test.ts) and the Chromium test (test/browser/webcrypto.test.ts): it
 * takes the parsed JSON (each realm loads it its own way) and returns one mismatch line per case
 * where the engines disagree, plus counts by outcome. No node: or DOM imports here.
 * @module
 */
import { aesGcmDecrypt, aesGcmEncrypt, GCM_MIN_IV_LENGTH } from '../../../src/crypto/aes.ts';
import { aesGcmDecryptAsync, aesGcmEncryptAsync } from '../../../src/crypto/accelerated.ts';
import { concatBytes, fromHex, toHex } from '../../../src/crypto/bytes.ts';
import { ecdsaVerify } from '../../../src/crypto/ecdsa.ts';
import { CryptoError } from '../../../src/crypto/errors.ts';
import { webAesGcmDecrypt, webAesGcmEncrypt, webEcdsaVerify, WebCryptoUnsupported } from '../../../src/crypto/webcrypto.ts';

/** The fields of a Wycheproof file this differential reads. */
interface VectorFile {
  readonly testGroups: readonly {
    readonly publicKey?: { readonly uncompressed: string };
    readonly tests: readonly { readonly tcId: number; readonly result: string; readonly [field: string]: unknown }[];
  }[];
}

/** Disagreements (empty when the engines agree on every case) and counts per outcome. */
export interface DifferentialReport {
  readonly mismatches: string[];
  readonly counts: Record<string, number>;
}

function field(test: { readonly tcId: number; readonly [field: string]: unknown }, name: string): Uint8Array {
  const value = test[name];
  if (typeof value !== 'string') throw new Error(`tcId ${test.tcId}: field ${name} is not a hex string`);
  return fromHex(value);
}

/** What a call did: its output in hex, or its error code and message. */
async function outcome(run: () => Promise<Uint8Array> | Uint8Array): Promise<string> {
  try {
    return `ok ${toHex(await run())}`;
  } catch (error) {
    if (error instanceof CryptoError) return `${error.code}: ${error.message}`;
    if (error instanceof WebCryptoUnsupported) return 'webcrypto-unsupported';
    throw error;
  }
}

/**
 * Every case of aes_gcm_test.json: (1) the WebCrypto engine itself, on every case it can take
 * (IV of 8 bytes or more, though it is not given IVs outside 12–128 bytes, and Chromium refuses
 * AES-192 keys: those are counted as noble-served), must give noble's
 * ciphertext ‖ tag on encryption and noble's verdict (plaintext, or 'auth-failed') on decryption;
 * (2) the facade with WebCrypto forced (the caller calls useEngine) gives byte-for-byte and
 * error-for-error what noble gives on every case, the ones routed back to noble included.
 */
export async function aesGcmDifferential(file: VectorFile): Promise<DifferentialReport> {
  const mismatches: string[] = [];
  const counts: Record<string, number> = {};
  const count = (name: string) => (counts[name] = (counts[name] ?? 0) + 1);
  for (const group of file.testGroups) {
    for (const test of group.tests) {
      const [key, iv, aad, msg, ct, tag] = ['key', 'iv', 'aad', 'msg', 'ct', 'tag'].map((name) => field(test, name)) as [
        Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array,
      ];
      const sealed = concatBytes(ct, tag);
      const tagLength = tag.length;
      const nobleEnc = await outcome(() => aesGcmEncrypt(key, iv, msg, aad, tagLength));
      const nobleDec = await outcome(() => aesGcmDecrypt(key, iv, sealed, aad, tagLength));
      if (test.result === 'valid' && iv.length >= GCM_MIN_IV_LENGTH && nobleDec !== `ok ${toHex(msg)}`) mismatches.push(`tcId ${test.tcId}: noble refuses a valid case (${nobleDec})`);
      if (iv.length >= GCM_MIN_IV_LENGTH) {
        const webEnc = await outcome(() => webAesGcmEncrypt(key, iv, msg, aad, tagLength));
        const webDec = await outcome(() => webAesGcmDecrypt(key, iv, sealed, aad, tagLength));
        if (webEnc === 'webcrypto-unsupported' && webDec === 'webcrypto-unsupported') {
          count(iv.length < 12 || iv.length > 128 ? 'IV outside 12–128 bytes (not given to webcrypto; noble serves)' : `AES-${key.length * 8} key refused by webcrypto (noble serves)`);
        } else {
          if (webEnc !== nobleEnc) mismatches.push(`tcId ${test.tcId}: encrypt webcrypto ${webEnc} ≠ noble ${nobleEnc}`);
          if (webDec !== nobleDec) mismatches.push(`tcId ${test.tcId}: decrypt webcrypto ${webDec} ≠ noble ${nobleDec}`);
          count(`${test.result} cases agree through webcrypto`);
        }
      } else {
        count(`IV under ${GCM_MIN_IV_LENGTH} bytes (documented refusal; the facade gives noble's error)`);
      }
      const facadeEnc = await outcome(() => aesGcmEncryptAsync(key, iv, msg, { aad, tagLength, deterministic: false }));
      const facadeDec = await outcome(() => aesGcmDecryptAsync(key, iv, sealed, { aad, tagLength, deterministic: false }));
      if (facadeEnc !== nobleEnc) mismatches.push(`tcId ${test.tcId}: facade encrypt ${facadeEnc} ≠ noble ${nobleEnc}`);
      if (facadeDec !== nobleDec) mismatches.push(`tcId ${test.tcId}: facade decrypt ${facadeDec} ≠ noble ${nobleDec}`);
    }
  }
  return { mismatches, counts };
}

/**
 * Every case of ecdsa_secp256r1_sha256_p1363_test.json: WebCrypto's verdict equals noble's
 * (noble accepts high-S like OpenSSL; WebCrypto does too). Counted by Wycheproof result.
 */
export async function ecdsaP256Differential(file: VectorFile): Promise<DifferentialReport> {
  const mismatches: string[] = [];
  const counts: Record<string, number> = {};
  for (const group of file.testGroups) {
    if (group.publicKey === undefined) throw new Error('ECDSA group without publicKey');
    const publicKey = fromHex(group.publicKey.uncompressed);
    for (const test of group.tests) {
      const msg = field(test, 'msg');
      const sig = field(test, 'sig');
      const noble = ecdsaVerify('p256', publicKey, msg, sig, { hash: 'sha256' });
      const web = await webEcdsaVerify('p256', publicKey, msg, sig, 'sha256');
      if (web !== noble) mismatches.push(`tcId ${test.tcId} (${test.result}): webcrypto ${web} ≠ noble ${noble}`);
      const name = `${test.result} ${noble ? 'accepted' : 'refused'} by both`;
      counts[name] = (counts[name] ?? 0) + 1;
    }
  }
  return { mismatches, counts };
}
