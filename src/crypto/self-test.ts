/**
 * Power-on self-test of the crypto layer, as a real HSM runs at boot: every primitive goes
 * through the engine that serves it here (so hash-wasm's WebAssembly in a browser worker) and
 * must reproduce a known answer from a published source — FIPS 180 and RFC 4231 for SHA/HMAC,
 * NIST SP 800-38A and the GCM paper for AES, RFC 3394/5649 for key wrap, RFC 6979 for ECDSA —
 * or, where no published vector exists (secp224r1, P-521 and secp256k1 with our keys, our
 * RSA-2048 key, our DRBG seed), a value pinned here and re-derived with `node:crypto` by
 * `test/unit/crypto/self-test.test.ts`. Results are plain data, so they cross a worker boundary.
 * @module
 */
import { aesCbcDecrypt, aesCbcEncrypt, aesCtr, aesGcmDecrypt, aesGcmEncrypt, aesKeyUnwrap, aesKeyUnwrapPad, aesKeyWrap, aesKeyWrapPad } from './aes.ts';
import { equalBytes, fromHex, toHex, utf8 } from './bytes.ts';
import { CURVE_IDS, ecdsaSign, ecdsaVerify, ecGenerateKeyPair, ecPublicKey, type CurveId } from './ecdsa.ts';
import { engineFor, initEngines } from './engines.ts';
import { digest, type HashName } from './hash.ts';
import { hmac } from './hmac.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { seededRandom } from './random.ts';
import { rsaGenerateKeyPair, rsaPkcs1Sign, rsaPkcs1Verify, rsaPssSign, type RsaPrivateKey } from './rsa.ts';

/** The outcome of one known-answer check. */
export interface SelfTestResult {
  /** What was checked, e.g. "AES-256-GCM" or "ECDSA P-256 (RFC 6979)". */
  name: string;
  /** The engine that served it ("noble", "hash-wasm", …). */
  engine: string;
  ok: boolean;
  /** Wall time of the check in milliseconds. */
  ms: number;
  /** The computed value (hex), for checks whose answer is worth showing or re-checking outside. */
  output?: string;
  /** Why it failed: the exception message, or which comparison did not hold. */
  error?: string;
}

/** One check: computes, compares with the known answer, and says which engine served. */
interface Check {
  name: string;
  engine: () => string;
  /** Returns the output to show, or throws / returns a failure reason. */
  run: () => Outcome | Promise<Outcome>;
}

type Outcome = { ok: true; output?: string } | { ok: false; error: string };

/** FIPS 180-4 example "abc" digests (also in NIST's SHA examples). */
export const SHA_ABC: Readonly<Record<HashName, string>> = {
  sha1: 'a9993e364706816aba3e25717850c26c9cd0d89d',
  sha224: '23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7',
  sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  sha384: 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
  sha512:
    'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
};

/** RFC 4231 test case 2 (key "Jefe"). */
export const HMAC_RFC4231_CASE2 = {
  key: 'Jefe',
  data: 'what do ya want for nothing?',
  sha256: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  sha512:
    '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
} as const;

/** AES vectors: SP 800-38A F.2.1 / F.5.1 (first block), GCM paper test case 14, RFC 3394 §4.1, RFC 5649 §6. */
export const AES_VECTORS = {
  cbc: {
    key: '2b7e151628aed2a6abf7158809cf4f3c',
    iv: '000102030405060708090a0b0c0d0e0f',
    plaintext: '6bc1bee22e409f96e93d7e117393172a',
    // SP 800-38A block 1, then the encrypted PKCS#7 padding block (16 × 0x10).
    ciphertext: '7649abac8119b246cee98e9b12e9197d8964e0b149c10b7b682e6e39aaeb731c',
  },
  ctr: {
    key: '2b7e151628aed2a6abf7158809cf4f3c',
    counter: 'f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff',
    plaintext: '6bc1bee22e409f96e93d7e117393172a',
    ciphertext: '874d6191b620e3261bef6864990db6ce',
  },
  gcm: {
    key: '0000000000000000000000000000000000000000000000000000000000000000',
    iv: '000000000000000000000000',
    plaintext: '00000000000000000000000000000000',
    ciphertextAndTag: 'cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919',
  },
  kw: {
    kek: '000102030405060708090a0b0c0d0e0f',
    key: '00112233445566778899aabbccddeeff',
    wrapped: '1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5',
  },
  kwp: {
    kek: '5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8',
    key: 'c37b7e6492584340bed12207808941155068f738',
    wrapped: '138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a',
  },
} as const;

/** An ECDSA known answer: private scalar, hash, and the raw r‖s signature of "sample". */
export interface EcdsaVector {
  curve: CurveId;
  label: string;
  source: string;
  privateKey: string;
  hash: HashName;
  signature: string;
}

/** The message every ECDSA vector signs (as in RFC 6979 appendix A.2). */
export const ECDSA_MESSAGE = 'sample';

export const ECDSA_VECTORS: readonly EcdsaVector[] = [
  {
    curve: 'secp224r1',
    label: 'ECDSA secp224r1',
    source: 'pinned',
    privateKey: 'f7e445ed1dc36aef12bc38ba4d188d77ef98275fb18b446bca6bdf08',
    hash: 'sha224',
    signature:
      '7f6d8a1f9e23f976d4c7406da7b10deb7a7d8cd9ae2546019056a937254aab2b4bcb4aaa95c9584331b727a8960c53a8f90f78e2d3551046',
  },
  {
    curve: 'p256',
    label: 'ECDSA P-256',
    source: 'RFC 6979 A.2.5',
    privateKey: 'c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721',
    hash: 'sha256',
    signature:
      'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8',
  },
  {
    curve: 'p384',
    label: 'ECDSA P-384',
    source: 'RFC 6979 A.2.6',
    privateKey: '6b9d3dad2e1b8c1c05b19875b6659f4de23c3b667bf297ba9aa47740787137d896d5724e4c70a825f872c9ea60d2edf5',
    hash: 'sha384',
    signature:
      '94edbb92a5ecb8aad4736e56c691916b3f88140666ce9fa73d64c4ea95ad133c81a648152e44acf96e36dd1e80fabe46' +
      '99ef4aeb15f178cea1fe40db2603138f130e740a19624526203b6351d0a3a94fa329c145786e679e7b82c71a38628ac8',
  },
  {
    curve: 'p521',
    label: 'ECDSA P-521',
    source: 'pinned',
    privateKey:
      '01a92c157777f5e293002b0edb9ec00a036fbd784296647c4347f5a6cc80c5d5eee56a2886424d5273d88066bb0eefc3c64bf517b68e166b030a5b5b1f9e56be0d5d',
    hash: 'sha512',
    signature:
      '000c17d1cd92f8ad601963ae4b42cba81e942b4f7c8e8591fa70fbd109deedf5ef8d6fabf36c782ef04f99ca53e47d4fe888f64a221a08aa8c28c7d016ffe43c5dfa' +
      '019215ceefc0358e588795e7556ba4aae2d06544016349002a9dc12b178594a6ea663a45b1f6f1133dcf941b8bacff6edce5f0ed4af307f3f9953d7feef2b109a65a',
  },
  {
    curve: 'secp256k1',
    label: 'ECDSA secp256k1',
    source: 'pinned',
    privateKey: 'b3a62aad17b0ffbd9945b632013f9606fa60bfdaeed87456385b6f10fd747255',
    hash: 'sha256',
    signature:
      '26059ef41e591a88cce47dca1d7fa953a4decefa63a5e89228a6fd411e1f3ee901e4aa6c9c6703f77eafdcb3c9ba16ec619db2fb3f95fb9769396bcbd43cc7ce',
  },
];

/**
 * A fixed RSA-2048 key (made with `openssl genpkey`, so not secret) and the PKCS#1 v1.5 SHA-256
 * signature OpenSSL made with it (`openssl dgst -sha256 -sign`) over {@link RSA_MESSAGE}.
 * Hex strings; {@link rsaSelfTestKey} turns them into the bigint key rsa.ts takes.
 */
export const RSA_VECTOR = {
  key: {
    n:
      'd4a9f245dda84f2e9f229fdcc42f29dd100f6ea3bcc725c743bb83f34a52c037a014fbf4fef7dab7a341e43ab895a2b4' +
      '6ee24c292c896339490b13ec6f9ac115aa08869415936f77e293d9b44d0a375aecc5375c1cbca539335350058f27895e' +
      '5e58f5066a5658e482b3bd7e04bddc5a5be83c2b520c9a44a81f51b8672a4ea0f09ef669bfab79ab9613fbfee6d1a790' +
      '4fbe1306c082f324edc73a4b5308ff51ad5f6b9b442390c98a4da512bb41b98a15a1f85fd5d33d9d48724a7be92c7abf' +
      '467948aefdd41652c75d1a50c822671928ff0263fe5b700e400567bff490fc0c9479124ca9ac2086b24346878bbf1bb4' +
      '807195c2139ab4c2abd822303c37df41',
    e:
      '010001',
    d:
      '4899ca1d82ea123a2ad6b1b7b6fc18f120a9fc0e0704ffc732bee1f19d4679dba3997658b1f0a0a8ffa19f8e5274b72a' +
      '9d0e418ceee8ea4864c0d4e8eb42ec36fea8d174dd96cb3fa4c8efd22758dd03fbffea01d6c7aa2a4874e1453c957546' +
      '93b40fd644583d19a9eb3dbe37552fd4633af9cb9a43b628c93283fe0dae3a5004e32a9749caa14c6f16e75d52118bb0' +
      'be5bd481db7a1366236f7cfc1c909564318a99d0c7c89aaeb0233715cc51954aae8a4d0484fad622489fba927790ca7d' +
      '998fd0eecc4b87f1d5687557d633b1bef35747dda1055d631ff821659013081df31f61c295a31fa2a8f5cc285457e145' +
      'eca2891423d27850edeb603baf626e4f',
    p:
      'f064b9627f1ed2bf3c9e56bce6f0cb8939f5a05007d29ad575a4540a6c01dfd3108e3cb1378a1a8daa08541881873f87' +
      '6efce3a429dadffd4827664596a79ed4415e63aa9fc3432f77ccaa926a44bbbffe16310375623868b8c4074a9f10a790' +
      '29fe83fd5ca36d9af5b1305a820cead4cb96ae5e375e20758a631acab9a38c73',
    q:
      'e2785d128d755f3e50f7347e46fe1a4094c4447dc059a06bff10e107708ae5851cc9baf90523f9846d42f373128a6258' +
      '54d57f6314cdee6de1bb042228e6ad4f539ac702426de461fb1cc565574083381c415370c8bd8db5620dddaf2c96c582' +
      'e8161e5096de15db85a4af36717ab379ef8951b6bf81165bf20e0214ba3a0c7b',
    dp:
      '5a5730082107bf6198f1545d7758a4d4f45027a80bd88cd18d7d6d0be19d2eb54e3276028f81ba0ae50c6e362b6f5d63' +
      '93453c73743b4a14106aa6179ecf6d740d00e0e9bd528f4c267466e1d147f55ae8ad044c6d6fb50d3dea8566f8b23496' +
      '8c01972ebf02b7ed154a3a86b8fb0bc15ea548f025549d542ee6a1a9efebd39b',
    dq:
      'c1cd04c0c2a3258d3b5640eaab2ffa2137edb93aefa7033c47fb16c6fa0d329ab5e70004e7dc40438e08d432ae341432' +
      'c8ee26e41042a5fe0c44b125d660890130676c5447aaa8dd1c3a23c6346375a747aeb38bf98d14be9a998912c6128415' +
      '212d04662ca50289681565072f17348d6d69d2ae93b511003fe4b2ed2fec4b0f',
    qi:
      '0df3a7573a80596e112c8c1a80c87be8d5eaf61616a474c904656f09920efc14c539dbb0fcbd95a7b456a404acfe7b90' +
      'e0160176a39065d7e51d6af686f6c405bd12e219ddc183cb280f2bcc4bac21cdc565bb282de1e2485c4539934f645185' +
      'f35f307f27390d29155ac40f1e8cb5f6ecf62e1facb5ea1047ef4251252dbcee',
  },
  signature:
      '45a6d25741b7f63252e0d2891b7a01efbb41f9f4d3ae332ade94cc3bb9f03038bba5f5d2900d8f90e5a40347cdc74f4d' +
      '5c95bb26d2bd392398ce6f663042201eb41227a6267416aa73e54e9d6ebc30762be9f056cd3886d6848e4a2090d4d378' +
      '8fd291b29d27a7a40583b9dd4b2958545b19be3e6c151d24f86933d31ba3232a2d4f6954e5587c1e4ef007f9e704defc' +
      'd34dd59e219f611c88f096490a4e6fb0f68caeb731d147dd66a3c5e70dd63fcfef119fc401f2930b4d4ce6d1c8858ba3' +
      'a99b01e933c1b6c559ec48198831f759f7ddb0f8e1f39bf3b73882f0a629813e836e63de3d2f43a096f49bb6d81bc542' +
      'be832a3c5a11df92aa7906e213fc242d',
} as const;

/** The message of the RSA vector. */
export const RSA_MESSAGE = 'HSM Playground self-test';

/** {@link RSA_VECTOR}'s key as an {@link RsaPrivateKey}. */
export function rsaSelfTestKey(): RsaPrivateKey {
  const k = RSA_VECTOR.key;
  const big = (hex: string) => BigInt(`0x${hex}`);
  return { n: big(k.n), e: big(k.e), d: big(k.d), p: big(k.p), q: big(k.q), dp: big(k.dp), dq: big(k.dq), qi: big(k.qi) };
}

/**
 * argon2id (the user store's password hash) at a small cost, with the salt drawn from
 * `seededRandom(DRBG_VECTOR.seed)`; the expected hash is re-derived with noble's argon2id by the
 * unit test.
 */
export const PASSWORD_VECTOR = {
  password: 'correct horse battery staple',
  cost: { memoryKiB: 1024, iterations: 2, parallelism: 1 },
  hash: '985d65a72b366b9ed2a42bd5530338fb98183ae173d72b75e2e3e29c18109fc8',
} as const;

/** The seed and first 32 output bytes of {@link seededRandom} (HMAC-DRBG, SP 800-90A §10.1.2). */
export const DRBG_VECTOR = {
  seed: 'hsm-playground self-test',
  first32: '6ed48c949ee4929dc2134c79d4cae23fba74a777b68386321aa744c9afa289f5',
} as const;

/** The seed of {@link seededTranscript} whose digest is pinned in {@link SEEDED_TRANSCRIPT}. */
export const SEEDED_TRANSCRIPT = {
  seed: 'hsm-playground determinism',
  sha256: '12463b87265e9467edfebb8a98032ed56321cc6867012ce3550fab8abd142cc0',
} as const;

/**
 * Everything a seeded HSM makes at random, from one seed: DRBG bytes, a key pair and signature on
 * every curve, an RSA-2048 key (primes and all) and a PSS signature with a drawn salt, an
 * AES-256-GCM encryption under a drawn key and IV, and an argon2id record with a drawn salt.
 * One `label=hex` line each; the same seed must give the same lines in Node and in Chromium.
 */
export async function seededTranscript(seed: string): Promise<string[]> {
  const random = seededRandom(seed);
  const lines: string[] = [`drbg=${toHex(random.bytes(64))}`];
  const message = utf8(ECDSA_MESSAGE);
  for (const curve of CURVE_IDS) {
    const { privateKey, publicKey } = ecGenerateKeyPair(curve, random);
    lines.push(`${curve}.private=${toHex(privateKey)}`, `${curve}.public=${toHex(publicKey)}`);
    lines.push(`${curve}.signature=${toHex(ecdsaSign(curve, privateKey, message, { hash: 'sha256' }))}`);
  }
  const rsa = rsaGenerateKeyPair(2048, 65537n, random);
  lines.push(`rsa.p=${rsa.p.toString(16)}`, `rsa.q=${rsa.q.toString(16)}`, `rsa.d=${rsa.d.toString(16)}`);
  lines.push(`rsa.pss=${toHex(rsaPssSign(rsa, 'sha256', message, { saltLength: 32, random }))}`);
  const key = random.bytes(32);
  const iv = random.bytes(12);
  lines.push(`aes-gcm=${toHex(key)}:${toHex(iv)}:${toHex(aesGcmEncrypt(key, iv, message))}`);
  const record = await hashPassword(PASSWORD_VECTOR.password, random, PASSWORD_VECTOR.cost);
  lines.push(`argon2id=${toHex(record.salt)}:${toHex(record.hash)}`);
  lines.push(`drbg.after=${toHex(random.bytes(32))}`);
  return lines;
}

/** SHA-256 (hex) of the transcript's lines joined by newlines. */
export async function seededTranscriptDigest(seed: string = SEEDED_TRANSCRIPT.seed): Promise<string> {
  return toHex(digest('sha256', utf8((await seededTranscript(seed)).join('\n'))));
}

function same(name: string, actual: Uint8Array, expectedHex: string): Outcome {
  const hex = toHex(actual);
  return hex === expectedHex ? { ok: true, output: hex } : { ok: false, error: `${name}: got ${hex}, expected ${expectedHex}` };
}

/** Both comparisons must hold; the first one's output (the encryption) is the one shown. */
function both(a: Outcome, b: Outcome): Outcome {
  return a.ok && !b.ok ? b : a;
}

const noble = () => 'noble';

function shaCheck(hash: HashName, label: string): Check {
  return { name: label, engine: () => engineFor('digest'), run: () => same('digest("abc")', digest(hash, utf8('abc')), SHA_ABC[hash]) };
}

function hmacCheck(hash: 'sha256' | 'sha512', label: string): Check {
  const v = HMAC_RFC4231_CASE2;
  return { name: label, engine: () => engineFor('hmac'), run: () => same('HMAC', hmac(hash, utf8(v.key), utf8(v.data)), v[hash]) };
}

function ecdsaCheck(v: EcdsaVector): Check {
  return {
    name: `${v.label} (${v.source})`,
    engine: noble,
    run: () => {
      const message = utf8(ECDSA_MESSAGE);
      const signature = ecdsaSign(v.curve, fromHex(v.privateKey), message, { hash: v.hash });
      const signed = same('signature', signature, v.signature);
      if (!signed.ok) return signed;
      const publicKey = ecPublicKey(v.curve, fromHex(v.privateKey));
      if (!ecdsaVerify(v.curve, publicKey, message, signature, { hash: v.hash })) return { ok: false, error: 'the known signature does not verify' };
      const altered = signature.slice();
      altered[altered.length - 1]! ^= 1;
      if (ecdsaVerify(v.curve, publicKey, message, altered, { hash: v.hash })) return { ok: false, error: 'an altered signature verifies' };
      return signed;
    },
  };
}

const CHECKS: readonly Check[] = [
  shaCheck('sha1', 'SHA-1'),
  shaCheck('sha224', 'SHA-224'),
  shaCheck('sha256', 'SHA-256'),
  shaCheck('sha384', 'SHA-384'),
  shaCheck('sha512', 'SHA-512'),
  hmacCheck('sha256', 'HMAC-SHA256 (RFC 4231)'),
  hmacCheck('sha512', 'HMAC-SHA512 (RFC 4231)'),
  {
    name: 'AES-256-GCM',
    engine: noble,
    run: () => {
      const v = AES_VECTORS.gcm;
      const sealed = aesGcmEncrypt(fromHex(v.key), fromHex(v.iv), fromHex(v.plaintext));
      return both(same('seal', sealed, v.ciphertextAndTag), same('open', aesGcmDecrypt(fromHex(v.key), fromHex(v.iv), sealed), v.plaintext));
    },
  },
  {
    name: 'AES-128-CBC (PKCS#7)',
    engine: noble,
    run: () => {
      const v = AES_VECTORS.cbc;
      const ct = aesCbcEncrypt(fromHex(v.key), fromHex(v.iv), fromHex(v.plaintext));
      return both(same('encrypt', ct, v.ciphertext), same('decrypt', aesCbcDecrypt(fromHex(v.key), fromHex(v.iv), ct), v.plaintext));
    },
  },
  {
    name: 'AES-128-CTR',
    engine: noble,
    run: () => {
      const v = AES_VECTORS.ctr;
      const ct = aesCtr(fromHex(v.key), fromHex(v.counter), fromHex(v.plaintext));
      return both(same('encrypt', ct, v.ciphertext), same('decrypt', aesCtr(fromHex(v.key), fromHex(v.counter), ct), v.plaintext));
    },
  },
  {
    name: 'AES key wrap (RFC 3394)',
    engine: noble,
    run: () => {
      const v = AES_VECTORS.kw;
      const wrapped = aesKeyWrap(fromHex(v.kek), fromHex(v.key));
      return both(same('wrap', wrapped, v.wrapped), same('unwrap', aesKeyUnwrap(fromHex(v.kek), wrapped), v.key));
    },
  },
  {
    name: 'AES key wrap with padding (RFC 5649)',
    engine: noble,
    run: () => {
      const v = AES_VECTORS.kwp;
      const wrapped = aesKeyWrapPad(fromHex(v.kek), fromHex(v.key));
      return both(same('wrap', wrapped, v.wrapped), same('unwrap', aesKeyUnwrapPad(fromHex(v.kek), wrapped), v.key));
    },
  },
  ...ECDSA_VECTORS.map(ecdsaCheck),
  {
    name: 'RSA-2048 PKCS#1 v1.5 SHA-256 (OpenSSL)',
    engine: () => 'bigint',
    run: () => {
      const key = rsaSelfTestKey();
      const message = utf8(RSA_MESSAGE);
      const signature = rsaPkcs1Sign(key, 'sha256', message);
      const signed = same('signature', signature, RSA_VECTOR.signature);
      if (!signed.ok) return signed;
      if (!rsaPkcs1Verify(key, 'sha256', message, signature)) return { ok: false, error: 'the known signature does not verify' };
      const altered = signature.slice();
      altered[0]! ^= 1;
      if (rsaPkcs1Verify(key, 'sha256', message, altered)) return { ok: false, error: 'an altered signature verifies' };
      return signed;
    },
  },
  {
    name: 'Password hash (argon2id)',
    engine: () => 'hash-wasm',
    run: async () => {
      const v = PASSWORD_VECTOR;
      const record = await hashPassword(v.password, seededRandom(DRBG_VECTOR.seed), v.cost);
      const hashed = same('argon2id', record.hash, v.hash);
      if (!hashed.ok) return hashed;
      if (!(await verifyPassword(v.password, record))) return { ok: false, error: 'the right password is refused' };
      if (await verifyPassword(`${v.password}!`, record)) return { ok: false, error: 'a wrong password is accepted' };
      return hashed;
    },
  },
  {
    name: 'Seeded keys and signatures (EC, RSA-2048, AES-GCM, argon2id)',
    engine: noble,
    run: async () => {
      const hex = await seededTranscriptDigest();
      return hex === SEEDED_TRANSCRIPT.sha256 ? { ok: true, output: hex } : { ok: false, error: `transcript digest ${hex}, expected ${SEEDED_TRANSCRIPT.sha256}` };
    },
  },
  {
    name: 'Seeded DRBG (HMAC-DRBG SHA-256)',
    engine: noble,
    run: () => {
      const a = seededRandom(DRBG_VECTOR.seed).bytes(32);
      const b = seededRandom(DRBG_VECTOR.seed).bytes(32);
      if (!equalBytes(a, b)) return { ok: false, error: 'the same seed gave different bytes' };
      return same('first 32 bytes', a, DRBG_VECTOR.first32);
    },
  },
];

/**
 * Run every check (after trying to start the WebAssembly engines) and report each one; never
 * throws — a check that throws is reported as failed with the exception's message.
 */
export async function selfTest(): Promise<SelfTestResult[]> {
  const results: SelfTestResult[] = [];
  const initStart = performance.now();
  try {
    await initEngines();
  } catch (error) {
    results.push({ name: 'Engine start (hash-wasm)', engine: 'hash-wasm', ok: false, ms: performance.now() - initStart, error: message(error) });
  }
  for (const check of CHECKS) {
    const start = performance.now();
    let outcome: Outcome;
    try {
      outcome = await check.run();
    } catch (error) {
      outcome = { ok: false, error: message(error) };
    }
    const result: SelfTestResult = { name: check.name, engine: check.engine(), ok: outcome.ok, ms: performance.now() - start };
    if (outcome.ok && outcome.output !== undefined) result.output = outcome.output;
    if (!outcome.ok) result.error = outcome.error;
    results.push(result);
  }
  return results;
}

function message(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
