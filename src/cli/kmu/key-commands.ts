/**
 * KMU key commands (spec §9): generate symmetric keys and EC/RSA pairs, find keys, read and set
 * attributes, key info, delete — each one ordinary HSM request addressed by integer handle, so a
 * key made here is the same key cloudhsm-cli lists. KMU creates keys with its own template:
 * AES keys may encrypt, decrypt, wrap and unwrap; private keys sign and public keys verify.
 * @module
 */
import type { CurveName } from '../../hsm/requests.ts';
import { attributeDump, classFromCode, findAttributeConstant, formatAttributeValue, KMU_SETTABLE, keyTypeFromCode, OBJ_ATTR_ALL } from '../legacy/attribute-constants.ts';
import { succeeded, switchFlag, valueFlag, type LegacyCommand } from '../legacy/command.ts';
import { FIPS_POLICY, INVALID_INPUT } from '../legacy/error-catalogue.ts';
import { byHandle, handleOf, keyByHandle, listKeys, userDirectory, type LegacyKeyObject } from '../legacy/lookups.ts';
import type { ParsedFlags } from '../machinery/parsed-flags.ts';
import type { FlagSpec } from '../machinery/spec.ts';
import { kmuCodeFailure, kmuRefusal, kmuRequest, writeOut, type KmuContext } from './run.ts';
import { kmuSuccess } from '../legacy/kmu-report.ts';

/** KMU `-i` curve ids (spec §9). Ids of curves the HSM does not offer violate the FIPS policy (0xb3). */
export const KMU_CURVES: Readonly<Record<number, CurveName>> = { 2: 'prime256v1', 13: 'secp224r1', 14: 'secp384r1', 15: 'secp521r1', 16: 'secp256k1' };

/**
 * `-m_value N` (spec §6.3): approvals needed to use, share or unshare the key. It sets both key
 * quorum values of cloudhsm-cli (use and manage); at most the owner plus the users of `-u`.
 */
export const M_VALUE_FLAG: FlagSpec = {
  name: 'm_value',
  type: 'int',
  help: 'Approvals (quorum) needed to use, share or unshare the key (0–8; at most 1 + the users of -u)',
  min: 0,
  max: 8,
  valueName: 'M',
};

/** Creation options every KMU generate command accepts. */
export const CREATION_FLAGS: readonly FlagSpec[] = [
  valueFlag('id', 'Key id (OBJ_ATTR_ID)', 'string', false, 'ID'),
  switchFlag('sess', 'Create a session key (deleted at logout, not synchronised)'),
  switchFlag('nex', 'Make the key non-extractable'),
  valueFlag('u', 'Comma-separated user ids of crypto users to share the key with', 'string', false, 'USER_IDS'),
  M_VALUE_FLAG,
  { name: 'min_srv', type: 'int', help: 'HSMs the key must reach (the cluster syncs token keys to all)', min: 1, valueName: 'N' },
  { name: 'timeout', type: 'int', help: 'Seconds to wait for min_srv', min: 0, valueName: 'SECONDS' },
  switchFlag('attest', 'Check the HSM attestation of the answer'),
];

/** `-u 3,4` → usernames, via the user directory. */
export async function shareNames(ctx: KmuContext, f: ParsedFlags): Promise<string[] | string> {
  const text = f.optString('u');
  if (text === undefined) return [];
  const ids = text.split(',').map((t) => t.trim());
  if (ids.some((t) => !/^[0-9]+$/.test(t))) return `Invalid -u '${text}': expected comma-separated user ids`;
  const dir = await userDirectory(ctx.session);
  if ('error_code' in dir) return dir.data;
  const names: string[] = [];
  for (const id of ids) {
    const user = dir.users.find((u) => u.id === Number(id));
    if (!user) return `No user with id ${id}`;
    names.push(user.username);
  }
  return names;
}

/** The creation arguments of a KMU key-creating command: `-sess`, `-u` (as usernames) and `-m_value`. */
export function creationArgs(f: ParsedFlags, share: readonly string[]) {
  const m = f.optInt('m_value');
  return {
    ...(f.bool('sess') ? { session: true } : {}),
    ...(share.length > 0 ? { shareCryptoUsers: share } : {}),
    ...(m !== undefined ? { useKeyQuorumValue: m, manageKeyQuorumValue: m } : {}),
  };
}

export function extraAttributes(f: ParsedFlags): Record<string, string> {
  const id = f.optString('id');
  return { ...(f.bool('nex') ? { extractable: 'false' } : {}), ...(id !== undefined ? { id } : {}) };
}

export function handleLine(data: unknown, path: string): number {
  return handleOf(String((data as Record<string, Record<string, unknown>>)[path]?.['key-reference']));
}

async function generatePair(ctx: KmuContext, f: ParsedFlags, keyType: 'ec' | 'rsa', typeArgs: { curve?: CurveName; modulusSizeBits?: number; publicExponent?: string }) {
  const share = await shareNames(ctx, f);
  if (typeof share === 'string') return kmuCodeFailure(ctx, 'GenerateKeyPair', INVALID_INPUT, share);
  const label = f.string('l');
  return kmuRequest(
    ctx,
    'GenerateKeyPair',
    'key.generate-asymmetric-pair',
    {
      keyType,
      publicLabel: label,
      privateLabel: label,
      ...typeArgs,
      publicAttributes: { verify: 'true' },
      privateAttributes: { sign: 'true', ...extraAttributes(f) },
      ...creationArgs(f, share),
    },
    (d) => [`Cfm3GenerateKeyPair:    public key handle: ${handleLine(d, 'public_key')}    private key handle: ${handleLine(d, 'private_key')}`],
  );
}

/** A required key handle flag (`-k`, `-w`, …): an integer shown as HANDLE in usage. */
export const handleFlag = (name: string, help: string): FlagSpec => ({ name, type: 'int', help, required: true, valueName: 'HANDLE' });

/**
 * `<N> Users need to approve to use/manage this key` (spec §6.3) when a key quorum is set. A key
 * made with KMU `-m_value` has equal values; one made with cloudhsm-cli may not, and then each
 * non-zero value gets its own line (a playground rendering; the docs show only the equal form).
 */
export function quorumLines(values: { readonly 'use-key-quorum-value': number; readonly 'manage-key-quorum-value': number }): string[] {
  const use = values['use-key-quorum-value'];
  const manage = values['manage-key-quorum-value'];
  if (use === manage) return use > 0 ? [`${use} Users need to approve to use/manage this key`] : [];
  return [...(use > 0 ? [`${use} Users need to approve to use this key`] : []), ...(manage > 0 ? [`${manage} Users need to approve to manage this key`] : [])];
}

function keyInfoLines(key: LegacyKeyObject, ids: ReadonlyMap<string, number>): string[] {
  const info = key['key-info'];
  const owner = info['key-owners'][0]?.username ?? '';
  const lines = [`${key.attributes['token'] === true ? 'Token' : 'Session'} Key,`, `Owned by user ${ids.get(owner) ?? owner}`];
  const shared = info['shared-users'];
  if (shared.length > 0) {
    lines.push('', `also, shared to following ${shared.length} user(s):`, '', ...shared.map((u) => `\t ${ids.get(u.username) ?? u.username}`));
  }
  lines.push(...quorumLines(info['key-quorum-values']));
  return lines;
}

export const KMU_KEY_COMMANDS: readonly LegacyCommand<KmuContext>[] = [
  {
    path: ['genSymKey'],
    roles: { allOf: ['key.generate-symmetric'] },
    help: 'Generate a symmetric key: -t 31 AES (16/24/32 bytes), 16 generic secret',
    flags: [
      { name: 't', type: 'int', help: 'Key type: 16 generic secret, 18 RC4, 21 3DES, 31 AES', required: true, valueName: 'TYPE' },
      { name: 's', type: 'int', help: 'Key size in bytes', required: true, valueName: 'BYTES' },
      valueFlag('l', 'Label', 'string', true, 'LABEL'),
      ...CREATION_FLAGS,
    ],
    examples: [{ line: 'genSymKey -t 31 -s 16 -l aes128', answer: '\tSymmetric Key Created.  Key Handle: 6' }],
    async run(f, ctx) {
      const type = f.int('t');
      if (type !== 31 && type !== 16) {
        const why = type === 18 || type === 21 ? `key type ${type} (${type === 18 ? 'RC4' : '3DES'}) is not offered by this HSM's FIPS policy` : `unknown key type ${type}`;
        return kmuCodeFailure(ctx, 'GenerateSymmetricKey', type === 18 || type === 21 ? FIPS_POLICY : INVALID_INPUT, why);
      }
      const share = await shareNames(ctx, f);
      if (typeof share === 'string') return kmuCodeFailure(ctx, 'GenerateSymmetricKey', INVALID_INPUT, share);
      const usage: Record<string, string> = type === 31 ? { encrypt: 'true', decrypt: 'true', wrap: 'true', unwrap: 'true' } : {};
      return kmuRequest(
        ctx,
        'GenerateSymmetricKey',
        'key.generate-symmetric',
        { keyType: type === 31 ? 'aes' : 'generic-secret', label: f.string('l'), keyLengthBytes: f.int('s'), attributes: { ...usage, ...extraAttributes(f) }, ...creationArgs(f, share) },
        (d) => [`Symmetric Key Created.  Key Handle: ${handleLine(d, 'key')}`],
      );
    },
  },
  {
    path: ['genECCKeyPair'],
    roles: { allOf: ['key.generate-asymmetric-pair'] },
    help: 'Generate an EC key pair: -i 2 prime256v1, 13 secp224r1, 14 secp384r1, 15 secp521r1, 16 secp256k1',
    flags: [{ name: 'i', type: 'int', help: 'Curve id', required: true, valueName: 'CURVE_ID' }, valueFlag('l', 'Label of both keys', 'string', true, 'LABEL'), ...CREATION_FLAGS],
    examples: [{ line: 'genECCKeyPair -i 2 -l ec-pair', answer: '\tCfm3GenerateKeyPair:    public key handle: 27    private key handle: 28' }],
    async run(f, ctx) {
      const curve = KMU_CURVES[f.int('i')];
      if (!curve) return kmuCodeFailure(ctx, 'GenerateKeyPair', FIPS_POLICY, `curve id ${f.int('i')} is not allowed by the FIPS policy (use 2, 13, 14, 15 or 16)`);
      return generatePair(ctx, f, 'ec', { curve });
    },
  },
  {
    path: ['genRSAKeyPair'],
    roles: { allOf: ['key.generate-asymmetric-pair'] },
    help: 'Generate an RSA key pair (-m 2048 or more, -e 65537)',
    flags: [
      { name: 'm', type: 'int', help: 'Modulus length in bits', required: true, valueName: 'BITS' },
      { name: 'e', type: 'int', help: 'Public exponent (odd, ≥ 65537)', required: true, valueName: 'EXPONENT' },
      valueFlag('l', 'Label of both keys', 'string', true, 'LABEL'),
      ...CREATION_FLAGS,
    ],
    examples: [{ line: 'genRSAKeyPair -m 2048 -e 65537 -l rsa-pair', answer: '\tCfm3GenerateKeyPair:    public key handle: 29    private key handle: 30' }],
    run: (f, ctx) => generatePair(ctx, f, 'rsa', { modulusSizeBits: f.int('m'), publicExponent: String(f.int('e')) }),
  },
  {
    path: ['genPBEKey'],
    roles: { allOf: ['key.generate-symmetric'] },
    help: 'Password-based key derivation: not supported on FIPS HSMs',
    flags: [valueFlag('l', 'Label', 'string', false, 'LABEL'), valueFlag('p', 'Password', 'string', false, 'PASSWORD')],
    examples: [{ line: 'genPBEKey -l pbe -p secret', answer: '\tCfm3GeneratePBEKey returned: 0xb3 : HSM Error: This operation violates the current configured/FIPS policies' }],
    run: async (_f, ctx) => kmuCodeFailure(ctx, 'GeneratePBEKey', FIPS_POLICY, 'genPBEKey is not supported on FIPS HSMs'),
  },
  {
    path: ['findKey'],
    roles: { allOf: ['key.list'] },
    help: 'Find the keys you may use (owned, shared, every public key) by class, type, label, id or KCV',
    flags: [
      { name: 'c', type: 'int', help: 'Class: 2 public, 3 private, 4 secret', valueName: 'CLASS' },
      { name: 't', type: 'int', help: 'Key type: 0 RSA, 3 EC, 16 generic secret, 31 AES', valueName: 'TYPE' },
      valueFlag('l', 'Label', 'string', false, 'LABEL'),
      valueFlag('id', 'Key id', 'string', false, 'ID'),
      { name: 'sess', type: 'int', help: '1 session keys only, 0 token keys only', min: 0, max: 1, valueName: '0|1' },
      valueFlag('kcv', 'Key check value (hex)', 'string', false, 'KCV'),
    ],
    examples: [{ line: 'findKey -t 31', answer: '\tTotal number of keys present 3\n\n\t number of keys matched from start index 0::1\n\t6, 7' }],
    async run(f, ctx) {
      const filter: string[] = [];
      const c = f.optInt('c');
      const t = f.optInt('t');
      if (c !== undefined) filter.push(`attr.class=${classFromCode(c) ?? `unknown-${c}`}`);
      if (t !== undefined) filter.push(`attr.key-type=${keyTypeFromCode(t) ?? `unknown-${t}`}`);
      if (f.has('l')) filter.push(`attr.label=${f.string('l')}`);
      if (f.has('id')) filter.push(`attr.id=${f.string('id')}`);
      const sess = f.optInt('sess');
      if (sess !== undefined) filter.push(`attr.token=${sess === 1 ? 'false' : 'true'}`);
      if (f.has('kcv')) filter.push(`attr.check-value=0x${f.string('kcv').replace(/^0x/i, '')}`);
      const all = await listKeys(ctx.session, []);
      if ('error_code' in all) return kmuRefusal(ctx, 'FindKey', all);
      const found = filter.length === 0 ? all : await listKeys(ctx.session, filter);
      if ('error_code' in found) return kmuRefusal(ctx, 'FindKey', found);
      const handles = found.keys.map((k) => handleOf(k['key-reference']));
      const body = [`Total number of keys present ${all.keys.length}`, '', ` number of keys matched from start index 0::${Math.max(0, handles.length - 1)}`, handles.join(', ')];
      return succeeded(`${body.map((l) => (l === '' ? '' : `\t${l}`)).join('\n')}\n\n${kmuSuccess('FindKey', [], ctx)}`);
    },
  },
  {
    path: ['findSingleKey'],
    roles: { allOf: ['key.list'] },
    help: 'Check that a key is present on every HSM',
    flags: [handleFlag('k', 'Key handle')],
    examples: [{ line: 'findSingleKey -k 6', answer: '\tCfm3FindSingleKey returned: 0x00 : HSM Return: SUCCESS' }],
    async run(f, ctx) {
      const found = await keyByHandle(ctx.session, f.int('k'));
      if ('error_code' in found) return kmuRefusal(ctx, 'FindSingleKey', found);
      return succeeded(kmuSuccess('FindSingleKey', [], ctx));
    },
  },
  {
    path: ['getAttribute'],
    roles: { allOf: ['key.list'] },
    help: 'Write one attribute (or all: -a 512) of a key to a file',
    flags: [handleFlag('o', 'Key handle'), { name: 'a', type: 'int', help: 'Attribute constant (listAttributes in CMU), 512 = all', required: true, valueName: 'ATTRIBUTE' }, valueFlag('out', 'File to write', 'string', true, 'FILE')],
    examples: [{ line: 'getAttribute -o 6 -a 512 -out attr.txt', answer: '\tgot all attributes of size 444 attr cnt 17\n\tAttributes dumped into attr.txt file' }],
    async run(f, ctx) {
      const id = f.int('a');
      const constant = findAttributeConstant(id);
      if (!constant) return kmuCodeFailure(ctx, 'GetAttribute', INVALID_INPUT, `unknown attribute ${id}`);
      const found = await keyByHandle(ctx.session, f.int('o'));
      if ('error_code' in found) return kmuRefusal(ctx, 'GetAttribute', found);
      const out = f.string('out');
      let pairs: { name: string; value: string }[];
      if (id === OBJ_ATTR_ALL) pairs = attributeDump(found.key.attributes);
      else {
        const value = formatAttributeValue(constant, found.key.attributes);
        if (value === undefined) return kmuCodeFailure(ctx, 'GetAttribute', INVALID_INPUT, `${constant.name} does not exist for this key type`);
        pairs = [{ name: constant.name, value }];
      }
      const text = pairs.map((p) => `${p.name}\n${p.value}\n`).join('');
      await writeOut(ctx, out, text);
      const first = id === OBJ_ATTR_ALL ? `got all attributes of size ${text.length} attr cnt ${pairs.length}` : `Attribute size: ${pairs[0]?.value.length ?? 0}, count: 1`;
      return succeeded(`\t${first}\n\tAttributes dumped into ${out} file\n\n${kmuSuccess('GetAttribute', [], ctx)}`);
    },
  },
  {
    path: ['setAttribute'],
    roles: { allOf: ['key.set-attribute'] },
    help: 'Make a session key persistent: -a 1 (token), value 1',
    flags: [handleFlag('o', 'Key handle'), { name: 'a', type: 'int', help: 'Attribute constant: only 1 (OBJ_ATTR_TOKEN)', required: true, valueName: 'ATTRIBUTE' }],
    examples: [{ line: 'setAttribute -o 6 -a 1', answer: '\tCfm3SetAttributeValue returned: 0x00 : HSM Return: SUCCESS' }],
    async run(f, ctx) {
      const id = f.int('a');
      if (!KMU_SETTABLE.has(id)) return kmuCodeFailure(ctx, 'SetAttributeValue', INVALID_INPUT, `KMU can only set attribute 1 (OBJ_ATTR_TOKEN); use CMU setAttribute for ${id}`);
      const value = (await ctx.io.prompt('Enter the boolean attribute value (0 or 1):', { secret: false })).trim();
      if (value !== '0' && value !== '1') return kmuCodeFailure(ctx, 'SetAttributeValue', INVALID_INPUT, `expected 0 or 1, got '${value}'`);
      return kmuRequest(ctx, 'SetAttributeValue', 'key.set-attribute', { filter: byHandle(f.int('o')), name: 'token', value: value === '1' ? 'true' : 'false' }, () => []);
    },
  },
  {
    path: ['getKeyInfo'],
    roles: { allOf: ['key.list'] },
    help: 'Who owns a key and who it is shared with',
    flags: [handleFlag('k', 'Key handle')],
    examples: [{ line: 'getKeyInfo -k 6', answer: '\tToken Key,\n\tOwned by user 3' }],
    async run(f, ctx) {
      const found = await keyByHandle(ctx.session, f.int('k'));
      if ('error_code' in found) return kmuRefusal(ctx, 'GetKeyInfo', found);
      const dir = await userDirectory(ctx.session);
      const ids = new Map('error_code' in dir ? [] : dir.users.map((u) => [u.username, u.id] as const));
      return succeeded(`${keyInfoLines(found.key, ids).map((l) => (l === '' ? '' : `\t${l}`)).join('\n')}\n\n${kmuSuccess('GetKeyInfo', [], ctx)}`);
    },
  },
  {
    path: ['deleteKey'],
    roles: { allOf: ['key.delete'] },
    help: 'Delete a key you own',
    flags: [handleFlag('k', 'Key handle')],
    examples: [{ line: 'deleteKey -k 6', answer: '\tCfm3DeleteKey returned: 0x00 : HSM Return: SUCCESS' }],
    run: (f, ctx) => kmuRequest(ctx, 'DeleteKey', 'key.delete', { filter: byHandle(f.int('k')) }, () => []),
  },
];

export { keyInfoLines };
