/**
 * `npm run bench` (Node): ops/s per primitive, input size and engine — noble, hash-wasm,
 * WebCrypto, src/crypto's own API, and node:crypto as a native reference — with the ratio to
 * noble measured in the same run and the engine src/crypto chose. Usage:
 * `tsx bench/crypto.bench.ts [--quick] [--filter <text>]`.
 * @module
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createCipheriv, createHash, createHmac, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { chosenEngine, cryptoCases, type ReferenceEngine } from './crypto-cases.ts';
import { formatTable, runCases } from './measure.ts';

/** node:crypto (OpenSSL) as the native reference; it never serves the HSM. */
const nodeCrypto: ReferenceEngine = {
  name: 'node:crypto',
  sha256: (data) => createHash('sha256').update(data).digest(),
  hmacSha256: (key, data) => createHmac('sha256', key).update(data).digest(),
  aes256GcmEncrypt: (key, iv, data) => {
    const c = createCipheriv('aes-256-gcm', key, iv);
    return Buffer.concat([c.update(data), c.final(), c.getAuthTag()]);
  },
  ecdsa: (curve, privateKey, publicKey) => {
    const pub = createPublicKey({ key: spki(curve, publicKey), format: 'der', type: 'spki' });
    const priv = createPrivateKey({ key: pkcs8(curve, privateKey, publicKey), format: 'der', type: 'pkcs8' });
    const hash = curve === 'secp384r1' ? 'sha384' : curve === 'secp521r1' ? 'sha512' : 'sha256';
    const signature = sign(hash, new Uint8Array(100), priv);
    return { sign: (m) => sign(hash, m, priv), verify: (m) => verify(hash, m, pub, signature) };
  },
  rsaPkcs1Sha256: (jwk) => {
    const key = createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    return (m) => sign('sha256', m, key);
  },
};

const CURVE_OIDS: Record<string, string> = {
  prime256v1: '06082a8648ce3d030107',
  secp384r1: '06052b81040022',
  secp521r1: '06052b81040023',
  secp256k1: '06052b8104000a',
};

/** DER length prefix (short or long form). */
function derLength(n: number): string {
  if (n < 0x80) return n.toString(16).padStart(2, '0');
  const hex = n.toString(16).padStart(n > 0xff ? 4 : 2, '0');
  return (0x80 + hex.length / 2).toString(16) + hex;
}
const tlv = (tag: string, hex: string) => tag + derLength(hex.length / 2) + hex;
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** SubjectPublicKeyInfo for an uncompressed EC point (RFC 5480). */
function spki(curve: string, point: Uint8Array): Buffer {
  const algorithm = tlv('30', '06072a8648ce3d0201' + CURVE_OIDS[curve]);
  return Buffer.from(tlv('30', algorithm + tlv('03', '00' + toHex(point))), 'hex');
}

/** PKCS#8 wrapping an RFC 5915 ECPrivateKey. */
function pkcs8(curve: string, d: Uint8Array, point: Uint8Array): Buffer {
  const ecPrivateKey = tlv('30', '020101' + tlv('04', toHex(d)) + tlv('a1', tlv('03', '00' + toHex(point))));
  const algorithm = tlv('30', '06072a8648ce3d0201' + CURVE_OIDS[curve]);
  return Buffer.from(tlv('30', '020100' + algorithm + tlv('04', ecPrivateKey)), 'hex');
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const filterAt = args.indexOf('--filter');
const filter = filterAt >= 0 ? args[filterAt + 1] : undefined;

const cases = (await cryptoCases(nodeCrypto)).filter((c) => !filter || c.primitive.includes(filter));
const budgetMs = quick ? 150 : 600;
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
console.log(`Node ${process.version}, ${cases.length} cases, ${budgetMs} ms each in 3 interleaved rounds (best round; ratios are to noble in the same run)`);
console.log(`load average before: ${load()} on ${availableParallelism()} cores (foreign load makes figures unreliable)\n`);
const results = await runCases(cases, budgetMs, (r) => process.stderr.write(`  ${r.primitive} ${r.size} ${r.engine}\r\x1b[K`));
console.log(formatTable(results, chosenEngine));
console.log(`\nload average after: ${load()}`);
