/**
 * KMU commands that move secret key bytes between a file and the HSM (spec §9): `exSymKey` writes
 * an extractable secret key you own to a file in clear (the HSM's explicit `key.export-secret`),
 * `imSymKey` creates a secret key from such a file (`key.import-secret`, OBJ_ATTR_LOCAL 0), and
 * `aesWrapUnwrap` wraps or unwraps a file's bytes with RFC 3394 under an AES key in the HSM
 * (`crypto.encrypt` / `crypto.decrypt` with `aes-kw`, default IV 0xA6A6A6A6A6A6A6A6).
 * As in the real tool, exSymKey and imSymKey name an AES wrapping key (`-w`) that carries the
 * bytes across; it must exist, be usable by the caller, be AES and have `wrap` / `unwrap` set.
 * @module
 */
import type { Failure } from '../../hsm/envelope.ts';
import { failed, succeeded, switchFlag, valueFlag, type LegacyCommand } from '../legacy/command.ts';
import type { LegacyResult } from '../legacy/context.ts';
import { FIPS_POLICY, INVALID_INPUT, SUCCESS, formatCode } from '../legacy/error-catalogue.ts';
import { kmuSuccess } from '../legacy/kmu-report.ts';
import { byHandle, keyByHandle } from '../legacy/lookups.ts';
import { decodeBase64, decodeHex } from '../machinery/values.ts';
import { creationArgs, extraAttributes, handleFlag, handleLine, shareNames } from './key-commands.ts';
import { kmuCodeFailure, kmuRefusal, readIn, writeOut, type KmuContext } from './run.ts';

/** The one wrapping mechanism exSymKey accepts (spec §9: `-m 4` only). */
const EX_SYM_KEY_MECHANISM = 4;
/** What KMU prints when `aesWrapUnwrap` has no `-i`. */
export const DEFAULT_IV_WARNING = ['\tWarning: IV (-i) is missing.', '\t         0xA6A6A6A6A6A6A6A6 is considered as default IV'];

/** `Cfm3<call> returned: 0x00 : HSM Return: SUCCESS` alone (the host-side steps of KMU). */
function hostStep(call: string): string {
  return `\tCfm3${call} returned: ${formatCode(SUCCESS.code)} : ${SUCCESS.text}`;
}

/**
 * The AES key `-w` that carries a secret across: must exist for the caller, be AES and allow
 * `usage` (wrap for exports, unwrap for imports). Returns a refusal to print, or undefined.
 */
async function checkTransferKey(ctx: KmuContext, call: string, handle: number, usage: 'wrap' | 'unwrap'): Promise<LegacyResult | undefined> {
  const found = await keyByHandle(ctx.session, handle);
  if ('error_code' in found) return kmuRefusal(ctx, call, found);
  const attributes = found.key.attributes;
  const refuse = (data: string): LegacyResult => kmuRefusal(ctx, call, { error_code: 1, data, reason: 'key-not-permitted' } satisfies Failure);
  if (attributes['key-type'] !== 'aes') return refuse(`Key ${handle} is not an AES key: -w needs an AES ${usage}ping key`);
  if (attributes[usage] !== true) return refuse(`Key ${handle} may not be used to ${usage} keys: its OBJ_ATTR_${usage.toUpperCase()} is 0`);
  return undefined;
}

/** `49 49 E2 D0 11 C1 97 22` lines of 8 bytes, as `aesWrapUnwrap` prints its result. */
export function hexLines(bytes: Uint8Array): string[] {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 8) {
    lines.push(Array.from(bytes.subarray(i, i + 8), (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' '));
  }
  return lines;
}

/** KMU `-t` of imSymKey: 31 AES, 16 generic secret; RC4 (18) and 3DES (21) violate the FIPS policy. */
function secretKeyType(t: number): { keyType: 'aes' | 'generic-secret' } | { code: typeof FIPS_POLICY; reason: string } {
  if (t === 31) return { keyType: 'aes' };
  if (t === 16) return { keyType: 'generic-secret' };
  if (t === 18 || t === 21) return { code: FIPS_POLICY, reason: `key type ${t} (${t === 18 ? 'RC4' : '3DES'}) is not offered by this HSM's FIPS policy` };
  return { code: INVALID_INPUT, reason: `unknown key type ${t}: expected 31 (AES) or 16 (generic secret)` };
}

export const KMU_SECRET_COMMANDS: readonly LegacyCommand<KmuContext>[] = [
  {
    path: ['exSymKey'],
    roles: { allOf: ['key.export-secret'] },
    help: 'Export an extractable symmetric key you own to a file, in clear',
    details: 'The key must be a secret key you own with OBJ_ATTR_EXTRACTABLE 1; -w names the AES key (with OBJ_ATTR_WRAP 1) the bytes travel under. The file holds the plaintext key.',
    flags: [
      handleFlag('k', 'Key to export'),
      handleFlag('w', 'AES wrapping key'),
      valueFlag('out', 'File to write the plaintext key to', 'string', true, 'FILE'),
      { name: 'm', type: 'int', help: 'Wrapping mechanism: only 4 (AES key wrap, PKCS#5 padding)', valueName: 'MECH' },
    ],
    examples: [{ line: 'exSymKey -k 6 -w 7 -out aes.key', answer: '\tCfm3WrapKey returned: 0x00 : HSM Return: SUCCESS' }],
    async run(f, ctx) {
      const m = f.optInt('m');
      if (m !== undefined && m !== EX_SYM_KEY_MECHANISM) return kmuCodeFailure(ctx, 'WrapKey', INVALID_INPUT, `exSymKey accepts only -m 4, got ${m}`);
      const refused = await checkTransferKey(ctx, 'WrapKey', f.int('w'), 'wrap');
      if (refused) return refused;
      const answer = await ctx.session.request('key.export-secret', { filter: byHandle(f.int('k')) });
      if (answer.error_code !== 0) return kmuRefusal(ctx, 'WrapKey', answer);
      const material = (answer.data as { 'key-material': Uint8Array })['key-material'];
      await writeOut(ctx, f.string('out'), material);
      return succeeded(`${kmuSuccess('WrapKey', [], ctx)}\n\n${hostStep('UnWrapHostKey')}\n\n\nWrapped Symmetric Key written to file "${f.string('out')}"`);
    },
  },
  {
    path: ['imSymKey'],
    roles: { allOf: ['key.import-secret'] },
    help: 'Import a symmetric key from a plaintext file (-t 31 AES, 16 generic secret)',
    details: '-w names the AES key (with OBJ_ATTR_UNWRAP 1) the bytes travel under. The new key has OBJ_ATTR_LOCAL 0.',
    flags: [
      valueFlag('f', 'File holding the plaintext key', 'string', true, 'FILE'),
      handleFlag('w', 'AES unwrapping key'),
      { name: 't', type: 'int', help: 'Key type: 31 AES, 16 generic secret', required: true, valueName: 'TYPE' },
      valueFlag('l', 'Label', 'string', true, 'LABEL'),
      valueFlag('id', 'Key id (OBJ_ATTR_ID)', 'string', false, 'ID'),
      switchFlag('sess', 'Create a session key'),
      switchFlag('nex', 'Make the key non-extractable'),
      valueFlag('u', 'Comma-separated user ids of crypto users to share the key with', 'string', false, 'USER_IDS'),
      { name: 'min_srv', type: 'int', help: 'HSMs the key must reach', min: 1, valueName: 'N' },
      { name: 'timeout', type: 'int', help: 'Seconds to wait for min_srv', min: 0, valueName: 'SECONDS' },
      switchFlag('attest', 'Check the HSM attestation of the answer'),
    ],
    examples: [{ line: 'imSymKey -f aes.key -w 7 -t 31 -l imported', answer: '\tSymmetric Key Unwrapped.  Key Handle: 262180' }],
    async run(f, ctx) {
      const type = secretKeyType(f.int('t'));
      if ('code' in type) return kmuCodeFailure(ctx, 'UnWrapKey', type.code, type.reason);
      const refused = await checkTransferKey(ctx, 'UnWrapKey', f.int('w'), 'unwrap');
      if (refused) return refused;
      const share = await shareNames(ctx, f);
      if (typeof share === 'string') return kmuCodeFailure(ctx, 'UnWrapKey', INVALID_INPUT, share);
      const material = await readIn(ctx, f.string('f'));
      const usage: Record<string, string> = type.keyType === 'aes' ? { encrypt: 'true', decrypt: 'true', wrap: 'true', unwrap: 'true' } : {};
      const answer = await ctx.session.request('key.import-secret', {
        keyType: type.keyType,
        label: f.string('l'),
        material,
        attributes: { ...usage, ...extraAttributes(f) },
        ...creationArgs(f, share),
      });
      if (answer.error_code !== 0) return kmuRefusal(ctx, 'UnWrapKey', answer);
      const body = [`Symmetric Key Unwrapped.  Key Handle: ${handleLine(answer.data, 'key')}`];
      return succeeded(`${hostStep('WrapHostKey')}\n\n${hostStep('CreateUnwrapTemplate2')}\n\n${kmuSuccess('UnWrapKey', body, ctx)}`);
    },
  },
  {
    path: ['aesWrapUnwrap'],
    roles: { anyOf: ['crypto.encrypt', 'crypto.decrypt'] },
    help: 'Wrap (-m 1) or unwrap (-m 0) the contents of a file with AES key wrap (RFC 3394) under an AES key',
    details: 'Without -i the RFC 3394 default IV 0xA6A6A6A6A6A6A6A6 is used. The key needs OBJ_ATTR_ENCRYPT (wrap) or OBJ_ATTR_DECRYPT (unwrap).',
    flags: [
      { name: 'm', type: 'int', help: '1 wrap, 0 unwrap', required: true, min: 0, max: 1, valueName: '1|0' },
      valueFlag('f', 'File to wrap or unwrap', 'string', true, 'FILE'),
      handleFlag('w', 'AES key'),
      valueFlag('i', 'IV: 8 bytes in hex (default A6A6A6A6A6A6A6A6)', 'string', false, 'IV'),
      valueFlag('out', 'File to write the result to', 'string', false, 'FILE'),
    ],
    examples: [{ line: 'aesWrapUnwrap -m 1 -f key.bin -w 7', answer: '\tWarning: IV (-i) is missing.\n\t         0xA6A6A6A6A6A6A6A6 is considered as default IV\nresult data:' }],
    async run(f, ctx) {
      const wrap = f.int('m') === 1;
      const call = wrap ? 'WrapHostKey' : 'UnWrapHostKey';
      let iv: Uint8Array | undefined;
      if (f.has('i')) {
        iv = decodeHex(f.string('i'));
        if (!iv || iv.length !== 8) return kmuCodeFailure(ctx, call, INVALID_INPUT, `Invalid -i '${f.string('i')}': the IV is 8 bytes, 16 hex digits`);
      }
      const data = await readIn(ctx, f.string('f'));
      const args = { mechanism: 'aes-kw' as const, keyFilter: byHandle(f.int('w')), data, ...(iv ? { iv } : {}) };
      const answer = wrap ? await ctx.session.request('crypto.encrypt', args) : await ctx.session.request('crypto.decrypt', args);
      const warning = iv ? [] : DEFAULT_IV_WARNING;
      if (answer.error_code !== 0) {
        const refusal = kmuRefusal(ctx, call, answer);
        return failed([...warning, refusal.output].join('\n'));
      }
      const field = wrap ? (answer.data as { ciphertext: string }).ciphertext : (answer.data as { data: string }).data;
      const result = decodeBase64(field) ?? new Uint8Array();
      const lines = [...warning, 'result data:', ...hexLines(result)];
      if (f.has('out')) {
        await writeOut(ctx, f.string('out'), result);
        lines.push('', `result written to file ${f.string('out')}`);
      }
      return succeeded(`${lines.join('\n')}\n\n${kmuSuccess(call, [], ctx)}`);
    },
  },
];
