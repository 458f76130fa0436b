/**
 * KMU commands that move bytes through files (spec §9): sign / verify, wrapKey / unWrapKey,
 * exportPubKey / importPubKey, extractMaskedObject / insertMaskedObject. Files are read and
 * written through the Io port, like cloudhsm-cli's `--path`.
 * @module
 */
import type { HashName } from '../../crypto/hash.ts';
import type { KeyTypeClass, SignMechanism, WrapMechanism } from '../../hsm/requests.ts';
import { succeeded, switchFlag, valueFlag, type LegacyCommand } from '../legacy/command.ts';
import { BAD_SIGNATURE, INVALID_INPUT } from '../legacy/error-catalogue.ts';
import { formatKmuReport, kmuSuccess } from '../legacy/kmu-report.ts';
import { byHandle, handleOf } from '../legacy/lookups.ts';
import { decodeBase64 } from '../machinery/values.ts';
import { failed } from '../legacy/command.ts';
import { kmuCodeFailure, kmuRefusal, readIn, writeOut, type KmuContext } from './run.ts';
import { creationArgs, handleFlag, M_VALUE_FLAG, shareNames } from './key-commands.ts';

const HASHES: readonly HashName[] = ['sha1', 'sha256', 'sha384', 'sha512', 'sha224'];

/** KMU `-m` signing mechanisms (spec §9): 0–4 RSA PKCS#1, 5–9 RSA-PSS, 15–19 ECDSA. */
export function signMechanism(m: number): { mechanism: SignMechanism; hash: HashName } | undefined {
  if (m >= 0 && m <= 4) return { mechanism: 'rsa-pkcs', hash: HASHES[m] as HashName };
  if (m >= 5 && m <= 9) return { mechanism: 'rsa-pkcs-pss', hash: HASHES[m - 5] as HashName };
  const ecdsa: Readonly<Record<number, HashName>> = { 15: 'sha1', 16: 'sha224', 17: 'sha256', 18: 'sha384', 19: 'sha512' };
  const hash = ecdsa[m];
  return hash ? { mechanism: 'ecdsa', hash } : undefined;
}

/** KMU `-m` wrapping mechanisms (spec §9). */
export const WRAP_MECHANISMS: Readonly<Record<number, WrapMechanism>> = {
  4: 'aes-pkcs5-pad',
  5: 'aes-no-pad',
  6: 'aes-zero-pad',
  7: 'rsa-aes',
  8: 'rsa-oaep',
  10: 'aes-gcm',
  11: 'cloudhsm-aes-gcm',
  12: 'rsa-pkcs',
};
/** KMU `-t` hash ids for RSA wrapping. */
const WRAP_HASHES: Readonly<Record<number, HashName>> = { 2: 'sha1', 3: 'sha256', 4: 'sha384', 5: 'sha512', 6: 'sha224' };

/**
 * A wrapped-key file starts with a one-line JSON header (unless `-noheader`) saying what the key
 * is, so `unWrapKey` can recreate it: `{"kmu-wrapped-key":1,"key-type-class":"aes","label":"k","iv":"0x…"}`.
 */
interface WrapHeader {
  readonly 'kmu-wrapped-key': 1;
  readonly 'key-type-class': KeyTypeClass;
  readonly label: string;
  readonly iv?: string;
}

function keyTypeClassOf(attributes: Readonly<Record<string, unknown>>): KeyTypeClass {
  const type = String(attributes['key-type']);
  const cls = String(attributes['class']);
  if (type === 'aes' || type === 'generic-secret') return type;
  return `${type === 'ec' ? 'ec' : 'rsa'}-${cls === 'private-key' ? 'private' : 'public'}` as KeyTypeClass;
}

function splitHeader(bytes: Uint8Array): { header: WrapHeader; blob: Uint8Array } | undefined {
  const nl = bytes.indexOf(0x0a);
  if (nl < 0) return undefined;
  try {
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(0, nl))) as WrapHeader;
    return header['kmu-wrapped-key'] === 1 ? { header, blob: bytes.slice(nl + 1) } : undefined;
  } catch {
    return undefined;
  }
}

export const KMU_CRYPTO_COMMANDS: readonly LegacyCommand<KmuContext>[] = [
  {
    path: ['sign'],
    roles: { allOf: ['crypto.sign'] },
    help: 'Sign the contents of a file with a private key',
    flags: [valueFlag('f', 'File to sign', 'string', true, 'FILE'), handleFlag('k', 'Private key handle'), { name: 'm', type: 'int', help: 'Mechanism: 0–4 RSA PKCS, 5–9 RSA PSS, 15–19 ECDSA (17 = SHA-256)', required: true, valueName: 'MECH' }, valueFlag('out', 'Signature file', 'string', true, 'FILE')],
    examples: [{ line: 'sign -f msg.txt -k 28 -m 17 -out msg.sig', answer: '\tsignature is written to file msg.sig' }],
    async run(f, ctx) {
      const mech = signMechanism(f.int('m'));
      if (!mech) return kmuCodeFailure(ctx, 'Sign', INVALID_INPUT, `unknown signing mechanism ${f.int('m')}`);
      const data = await readIn(ctx, f.string('f'));
      const answer = await ctx.session.request('crypto.sign', { mechanism: mech.mechanism, keyFilter: byHandle(f.int('k')), hashFunction: mech.hash, data, ...(mech.mechanism === 'rsa-pkcs-pss' ? { mgf: mech.hash, saltLength: 32 } : {}) });
      if (answer.error_code !== 0) return kmuRefusal(ctx, 'Sign', answer);
      const signature = decodeBase64(String((answer.data as { signature: string }).signature)) ?? new Uint8Array();
      await writeOut(ctx, f.string('out'), signature);
      return succeeded(`${kmuSuccess('Sign', [], ctx)}\n\n\tsignature is written to file ${f.string('out')}`);
    },
  },
  {
    path: ['verify'],
    roles: { allOf: ['crypto.verify'] },
    help: 'Verify a signature file with a public key',
    flags: [valueFlag('f', 'Signed file', 'string', true, 'FILE'), valueFlag('s', 'Signature file', 'string', true, 'FILE'), handleFlag('k', 'Public key handle'), { name: 'm', type: 'int', help: 'Mechanism (as for sign)', required: true, valueName: 'MECH' }],
    examples: [{ line: 'verify -f msg.txt -s msg.sig -k 27 -m 17', answer: '\tSignature verification successful' }],
    async run(f, ctx) {
      const mech = signMechanism(f.int('m'));
      if (!mech) return kmuCodeFailure(ctx, 'Verify', INVALID_INPUT, `unknown signing mechanism ${f.int('m')}`);
      const data = await readIn(ctx, f.string('f'));
      const signature = await readIn(ctx, f.string('s'));
      const answer = await ctx.session.request('crypto.verify', { mechanism: mech.mechanism, keyFilter: byHandle(f.int('k')), hashFunction: mech.hash, data, signature, ...(mech.mechanism === 'rsa-pkcs-pss' ? { mgf: mech.hash, saltLength: 32 } : {}) });
      if (answer.error_code !== 0) {
        if (answer.reason === 'verification-failed') return failed(formatKmuReport({ call: 'Verify', code: BAD_SIGNATURE, reason: answer.data }, ctx));
        return kmuRefusal(ctx, 'Verify', answer);
      }
      return succeeded(`\tSignature verification successful\n\n${kmuSuccess('Verify', [], ctx)}`);
    },
  },
  {
    path: ['wrapKey'],
    roles: { allOf: ['key.wrap'] },
    help: 'Wrap (export encrypted) a key you own with a wrapping key, into a file',
    flags: [
      handleFlag('k', 'Key to wrap'),
      handleFlag('w', 'Wrapping key'),
      valueFlag('out', 'File to write', 'string', true, 'FILE'),
      { name: 'm', type: 'int', help: 'Mechanism: 4 AES-KWP PKCS#5, 5 AES-KW no pad, 6 AES-KW zero pad, 7 RSA-AES, 8 RSA-OAEP, 10 AES-GCM, 11 CloudHSM AES-GCM, 12 RSA-PKCS', required: true, valueName: 'MECH' },
      { name: 't', type: 'int', help: 'Hash for RSA mechanisms: 2 SHA1, 3 SHA256, 4 SHA384, 5 SHA512, 6 SHA224', valueName: 'HASH' },
      valueFlag('aad', 'AES-GCM additional data (hex)', 'string', false, 'HEX'),
      { name: 'tag_size', type: 'int', help: 'AES-GCM tag size in bytes (≥ 8)', min: 8, max: 16, valueName: 'BYTES' },
      switchFlag('noheader', 'Write only the wrapped bytes'),
    ],
    examples: [{ line: 'wrapKey -k 6 -w 7 -m 4 -out wrapped.key', answer: '\tKey Wrapped.\n\n\tWrapped Key written to file "wrapped.key" length 40' }],
    async run(f, ctx) {
      const mechanism = WRAP_MECHANISMS[f.int('m')];
      if (!mechanism) return kmuCodeFailure(ctx, 'WrapKey', INVALID_INPUT, `unknown wrapping mechanism ${f.int('m')}`);
      const listed = await ctx.session.request('key.list', { filter: byHandle(f.int('k')), verbose: true });
      if (listed.error_code !== 0) return kmuRefusal(ctx, 'WrapKey', listed);
      const payload = (listed.data as { matched_keys: { attributes: Record<string, unknown> }[] }).matched_keys[0];
      if (!payload) return kmuRefusal(ctx, 'WrapKey', { error_code: 1, data: `Key not found: handle ${f.int('k')}`, reason: 'key-not-found' });
      const hash = f.optInt('t') !== undefined ? WRAP_HASHES[f.int('t')] : mechanism.startsWith('rsa-') && mechanism !== 'rsa-pkcs' ? 'sha256' : undefined;
      const answer = await ctx.session.request('key.wrap', {
        mechanism,
        payloadFilter: byHandle(f.int('k')),
        wrappingFilter: byHandle(f.int('w')),
        ...(mechanism.includes('gcm') ? { tagLengthBits: 8 * (f.optInt('tag_size') ?? 16) } : {}),
        ...(hash ? { hashFunction: hash, mgf: hash } : {}),
      });
      if (answer.error_code !== 0) return kmuRefusal(ctx, 'WrapKey', answer);
      const data = answer.data as { wrapped_key_data: string; iv?: string };
      const blob = decodeBase64(data.wrapped_key_data) ?? new Uint8Array();
      const header: WrapHeader = { 'kmu-wrapped-key': 1, 'key-type-class': keyTypeClassOf(payload.attributes), label: String(payload.attributes['label'] ?? ''), ...(data.iv ? { iv: data.iv } : {}) };
      const head = new TextEncoder().encode(`${JSON.stringify(header)}\n`);
      const file = f.bool('noheader') ? blob : new Uint8Array([...head, ...blob]);
      await writeOut(ctx, f.string('out'), file);
      return succeeded(`${kmuSuccess('WrapKey', [], ctx)}\n\n\tKey Wrapped.\n\n\tWrapped Key written to file "${f.string('out')}" length ${file.length}`);
    },
  },
  {
    path: ['unWrapKey'],
    roles: { allOf: ['key.unwrap'] },
    help: 'Unwrap (import) a wrapped key from a file',
    flags: [
      valueFlag('f', 'Wrapped key file', 'string', true, 'FILE'),
      handleFlag('w', 'Unwrapping key'),
      { name: 'm', type: 'int', help: 'Mechanism (as for wrapKey)', required: true, valueName: 'MECH' },
      { name: 't', type: 'int', help: 'Hash for RSA mechanisms', valueName: 'HASH' },
      switchFlag('noheader', 'The file has no header: give -l, -kc and -kt'),
      valueFlag('l', 'Label (required with -noheader)', 'string', false, 'LABEL'),
      { name: 'kc', type: 'int', help: 'Class with -noheader: 3 private, 4 secret', valueName: 'CLASS' },
      { name: 'kt', type: 'int', help: 'Key type with -noheader: 0 RSA, 3 EC, 16 generic, 31 AES', valueName: 'TYPE' },
      valueFlag('i', 'AES-GCM IV (hex) with -noheader', 'string', false, 'IV'),
      switchFlag('sess', 'Create a session key'),
      switchFlag('nex', 'Make the key non-extractable'),
      valueFlag('u', 'Comma-separated user ids of crypto users to share the key with', 'string', false, 'USER_IDS'),
      M_VALUE_FLAG,
      { name: 'tag_size', type: 'int', help: 'AES-GCM tag size in bytes', min: 8, max: 16, valueName: 'BYTES' },
    ],
    examples: [{ line: 'unWrapKey -f wrapped.key -w 7 -m 4', answer: '\tKey Unwrapped.  Key Handle: 29' }],
    async run(f, ctx) {
      const mechanism = WRAP_MECHANISMS[f.int('m')];
      if (!mechanism) return kmuCodeFailure(ctx, 'UnWrapKey', INVALID_INPUT, `unknown wrapping mechanism ${f.int('m')}`);
      const share = await shareNames(ctx, f);
      if (typeof share === 'string') return kmuCodeFailure(ctx, 'UnWrapKey', INVALID_INPUT, share);
      const bytes = await readIn(ctx, f.string('f'));
      let header: WrapHeader | undefined;
      let blob = bytes;
      if (f.bool('noheader')) {
        const kc = f.optInt('kc');
        const kt = f.optInt('kt');
        if (!f.has('l') || kc === undefined || kt === undefined) return kmuCodeFailure(ctx, 'UnWrapKey', INVALID_INPUT, '-noheader needs -l, -kc and -kt');
        const type = kt === 31 ? 'aes' : kt === 16 ? 'generic-secret' : kt === 3 ? 'ec' : kt === 0 ? 'rsa' : undefined;
        if (!type || (kc !== 3 && kc !== 4)) return kmuCodeFailure(ctx, 'UnWrapKey', INVALID_INPUT, `unsupported -kc ${kc} / -kt ${kt}`);
        const ktc = (type === 'ec' || type === 'rsa' ? `${type}-private` : type) as KeyTypeClass;
        header = { 'kmu-wrapped-key': 1, 'key-type-class': ktc, label: f.string('l'), ...(f.has('i') ? { iv: f.string('i') } : {}) };
      } else {
        const split = splitHeader(bytes);
        if (!split) return kmuCodeFailure(ctx, 'UnWrapKey', INVALID_INPUT, `${f.string('f')} has no wrapped-key header (use -noheader with -l, -kc, -kt)`);
        header = split.header;
        blob = split.blob;
      }
      const hash = f.optInt('t') !== undefined ? WRAP_HASHES[f.int('t')] : mechanism.startsWith('rsa-') && mechanism !== 'rsa-pkcs' ? 'sha256' : undefined;
      const iv = header.iv ? Uint8Array.from((header.iv.replace(/^0x/, '').match(/../g) ?? []).map((h) => Number.parseInt(h, 16))) : undefined;
      const answer = await ctx.session.request('key.unwrap', {
        mechanism,
        filter: byHandle(f.int('w')),
        keyTypeClass: header['key-type-class'],
        label: f.optString('l') ?? header.label,
        data: blob,
        ...(iv ? { iv } : {}),
        ...(mechanism.includes('gcm') ? { tagLengthBits: 8 * (f.optInt('tag_size') ?? 16) } : {}),
        ...(hash ? { hashFunction: hash, mgf: hash } : {}),
        ...creationArgs(f, share),
        ...(f.bool('nex') ? { attributes: { extractable: 'false' } } : {}),
      });
      if (answer.error_code !== 0) return kmuRefusal(ctx, 'UnWrapKey', answer);
      const handle = handleOf(String((answer.data as { key: { 'key-reference': string } }).key['key-reference']));
      return succeeded(`${kmuSuccess('UnWrapKey', [], ctx)}\n\n\tKey Unwrapped.  Key Handle: ${handle}`);
    },
  },
  {
    path: ['exportPubKey'],
    roles: { allOf: ['key.export-pem'] },
    help: 'Write a public key to a PEM file',
    flags: [handleFlag('k', 'Public (or private) key handle'), valueFlag('out', 'PEM file', 'string', true, 'FILE')],
    examples: [{ line: 'exportPubKey -k 27 -out public.pem', answer: '\tPEM formatted public key is written to public.pem' }],
    async run(f, ctx) {
      const answer = await ctx.session.request('key.export-pem', { filter: byHandle(f.int('k')) });
      if (answer.error_code !== 0) return kmuRefusal(ctx, 'ExportPubKey', answer);
      await writeOut(ctx, f.string('out'), String((answer.data as { pem: string }).pem));
      return succeeded(`\tPEM formatted public key is written to ${f.string('out')}\n\n${kmuSuccess('ExportPubKey', [], ctx)}`);
    },
  },
  {
    path: ['importPubKey'],
    roles: { allOf: ['key.import-pem'] },
    help: 'Import a public key from a PEM file',
    flags: [valueFlag('l', 'Label', 'string', true, 'LABEL'), valueFlag('f', 'PEM file', 'string', true, 'FILE')],
    examples: [{ line: 'importPubKey -l imported -f public.pem', answer: '\tPublic Key Handle: 262230' }],
    async run(f, ctx) {
      const pem = new TextDecoder().decode(await readIn(ctx, f.string('f')));
      let answer = await ctx.session.request('key.import-pem', { pem, label: f.string('l'), keyTypeClass: 'ec-public', attributes: { verify: 'true' } });
      if (answer.error_code !== 0 && answer.reason === 'bad-request') {
        const rsa = await ctx.session.request('key.import-pem', { pem, label: f.string('l'), keyTypeClass: 'rsa-public', attributes: { verify: 'true' } });
        if (rsa.error_code === 0) answer = rsa;
      }
      if (answer.error_code !== 0) return kmuRefusal(ctx, 'CreatePublicKey', answer);
      const handle = handleOf(String((answer.data as { key: { 'key-reference': string } }).key['key-reference']));
      return succeeded(`${kmuSuccess('CreatePublicKey', [], ctx)}\n\n\tPublic Key Handle: ${handle}`);
    },
  },
  {
    path: ['extractMaskedObject'],
    roles: { allOf: ['object.extract-masked'] },
    help: 'Write a key, encrypted under the cluster key, to a file',
    flags: [handleFlag('o', 'Key handle'), valueFlag('out', 'File to write', 'string', true, 'FILE')],
    examples: [{ line: 'extractMaskedObject -o 6 -out maskedObj', answer: '\tObject was masked and written to file "maskedObj"' }],
    async run(f, ctx) {
      const answer = await ctx.session.request('object.extract-masked', { filter: byHandle(f.int('o')) });
      if (answer.error_code !== 0) return kmuRefusal(ctx, 'ExtractMaskedObject', answer);
      await writeOut(ctx, f.string('out'), (answer.data as { 'masked-object': Uint8Array })['masked-object']);
      return succeeded(`${kmuSuccess('ExtractMaskedObject', [], ctx)}\n\tObject was masked and written to file "${f.string('out')}"`);
    },
  },
  {
    path: ['insertMaskedObject'],
    roles: { allOf: ['object.insert-masked'] },
    help: 'Insert a masked key from a file (same cluster or a clone only); it gets a new handle',
    flags: [valueFlag('f', 'Masked object file', 'string', true, 'FILE'), { name: 'min_srv', type: 'int', help: 'HSMs the key must reach', min: 1, valueName: 'N' }, { name: 'timeout', type: 'int', help: 'Seconds to wait', min: 0, valueName: 'SECONDS' }],
    examples: [{ line: 'insertMaskedObject -f maskedObj', answer: '\tNew Key Handle: 262433' }],
    async run(f, ctx) {
      const blob = await readIn(ctx, f.string('f'));
      const answer = await ctx.session.request('object.insert-masked', { blob });
      if (answer.error_code !== 0) return kmuRefusal(ctx, 'InsertMaskedObject', answer);
      const handle = handleOf(String((answer.data as { 'key-reference': string })['key-reference']));
      return succeeded(`${kmuSuccess('InsertMaskedObject', [], ctx)}\n\tNew Key Handle: ${handle}`);
    },
  },
];
