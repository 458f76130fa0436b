/**
 * cloudhsm-cli `key wrap <mechanism>` and `key unwrap <mechanism>`, generated from one row of
 * data per mechanism (spec §4.6).
 * @module
 */
import type { Success } from '../../hsm/envelope.ts';
import type { KeyTypeClass, WrapMechanism } from '../../hsm/requests.ts';
import type { FlagSpec } from '../machinery/spec.ts';
import { decodeBase64 } from '../machinery/values.ts';
import { AES_KEY, notLocal, success } from './example-answers.ts';
import {
  bytesFlags,
  bytesFrom,
  filterFlag,
  HASH_FLAG,
  hashOf,
  keyCreationArgs,
  keyCreationFlags,
  MGF_CHOICES,
  mgfHash,
  optional,
  requestCommand,
  stringFlag,
  type CliCommand,
  type RequestCommand,
  approvalArgs,
  approvalFlag,
  approvalFrom,
} from './command.ts';

interface MechanismRow {
  readonly mechanism: WrapMechanism;
  readonly wrappingKey: string;
  /** GCM: --tag-length-bits (required) and --aad. */
  readonly gcm: boolean;
  /** aes-gcm only: the IV is printed by wrap and must be given to unwrap. */
  readonly explicitIv: boolean;
  /** RSA-OAEP based: --hash-function and --mgf. */
  readonly oaep: boolean;
}

const MECHANISMS: readonly MechanismRow[] = [
  { mechanism: 'aes-gcm', wrappingKey: 'AES', gcm: true, explicitIv: true, oaep: false },
  { mechanism: 'cloudhsm-aes-gcm', wrappingKey: 'AES', gcm: true, explicitIv: false, oaep: false },
  { mechanism: 'aes-no-pad', wrappingKey: 'AES', gcm: false, explicitIv: false, oaep: false },
  { mechanism: 'aes-pkcs5-pad', wrappingKey: 'AES', gcm: false, explicitIv: false, oaep: false },
  { mechanism: 'aes-zero-pad', wrappingKey: 'AES', gcm: false, explicitIv: false, oaep: false },
  { mechanism: 'rsa-aes', wrappingKey: 'RSA', gcm: false, explicitIv: false, oaep: true },
  { mechanism: 'rsa-oaep', wrappingKey: 'RSA', gcm: false, explicitIv: false, oaep: true },
  { mechanism: 'rsa-pkcs', wrappingKey: 'RSA', gcm: false, explicitIv: false, oaep: false },
];

const KEY_TYPE_CLASSES: readonly KeyTypeClass[] = ['aes', 'generic-secret', 'ec-private', 'rsa-private'];

function mechanismFlags(row: MechanismRow, direction: 'wrap' | 'unwrap'): FlagSpec[] {
  const flags: FlagSpec[] = [];
  if (row.explicitIv && direction === 'unwrap') flags.push({ name: 'iv', type: 'hex', help: 'IV printed by key wrap (hex)', required: true });
  if (row.gcm) {
    flags.push({ name: 'tag-length-bits', type: 'int', help: 'GCM tag length in bits', required: true, min: 96, max: 128 });
    flags.push({ name: 'aad', type: 'hex', help: 'Additional authenticated data (hex)' });
  }
  if (row.oaep) {
    flags.push({ ...HASH_FLAG, help: 'OAEP hash function' });
    flags.push({ name: 'mgf', type: 'enum', help: 'OAEP mask generation function (match the hash)', required: true, choices: MGF_CHOICES });
  }
  return flags;
}

function mechanismArgs(row: MechanismRow, f: Parameters<RequestCommand['toRequest']>[0]) {
  return {
    ...optional('tagLengthBits', row.gcm ? f.int('tag-length-bits') : undefined),
    ...optional('aad', f.optBytes('aad')),
    ...optional('hashFunction', row.oaep ? hashOf(f) : undefined),
    ...optional('mgf', row.oaep ? mgfHash(f.string('mgf')) : undefined),
  };
}

function exampleFlags(row: MechanismRow): string {
  if (row.gcm) return ' --tag-length-bits 128';
  if (row.oaep) return ' --hash-function sha256 --mgf mgf1-sha256';
  return '';
}

const WRAPPED_SAMPLE = 'hLOgpTmE7xDnDxkE1BaC9TKjzyb8GJ5VRXmgHeqRJVWTzm5rnIbBgA==';

function wrapCommand(row: MechanismRow): RequestCommand {
  const wrappingLabel = row.wrappingKey === 'AES' ? 'wrapping-aes' : 'rsa-public';
  return {
    ...requestCommand({
      path: ['key', 'wrap', row.mechanism],
      op: 'key.wrap',
      help: `Wrap (export encrypted) a key with ${row.wrappingKey === 'AES' ? 'an AES key' : 'an RSA public key'} (${row.mechanism})`,
      flags: [
        filterFlag('payload-filter', 'Filter selecting the key to wrap (extractable, owned by you)'),
        filterFlag('wrapping-filter', `Filter selecting the ${row.wrappingKey} wrapping key (wrap=true)`),
        ...mechanismFlags(row, 'wrap'),
        stringFlag('path', 'Also write the wrapped key bytes to this file', false),
        approvalFlag('payload-approval', "the payload key's management"),
        approvalFlag('wrapping-approval', "the wrapping key's management"),
      ],
      examples: [
        {
          line: `key wrap ${row.mechanism} --payload-filter attr.label=example-aes --wrapping-filter attr.label=${wrappingLabel}${exampleFlags(row)}`,
          answer: success({
            payload_key_reference: '0x00000000002e06bf',
            wrapping_key_reference: '0x00000000002e06c0',
            ...(row.explicitIv ? { iv: '0xf90613bb8e337ec0339aad21' } : {}),
            wrapped_key_data: WRAPPED_SAMPLE,
          }),
        },
      ],
      toArgs: async (f, io) => ({
        mechanism: row.mechanism,
        payloadFilter: f.words('payload-filter'),
        wrappingFilter: f.words('wrapping-filter'),
        ...mechanismArgs(row, f),
        ...optional('payloadApproval', await approvalFrom(f, io, 'payload-approval')),
        ...optional('wrappingApproval', await approvalFrom(f, io, 'wrapping-approval')),
      }),
    }),
    async render(answer: Success, flags, io) {
      const path = flags.optString('path');
      const data = answer.data;
      if (path !== undefined && typeof data === 'object' && data !== null && 'wrapped_key_data' in data && typeof data.wrapped_key_data === 'string') {
        const bytes = decodeBase64(data.wrapped_key_data);
        if (bytes) await io.writeFile(path, bytes);
      }
      return answer;
    },
  };
}

function unwrapCommand(row: MechanismRow): RequestCommand {
  const data = bytesFlags('data', 'Wrapped key');
  const unwrappingLabel = row.wrappingKey === 'AES' ? 'wrapping-aes' : 'rsa-private';
  return requestCommand({
    path: ['key', 'unwrap', row.mechanism],
    op: 'key.unwrap',
    help: `Unwrap (import) a wrapped key with ${row.wrappingKey === 'AES' ? 'an AES key' : 'an RSA private key'} (${row.mechanism})`,
    flags: [
      filterFlag('filter', `Filter selecting the ${row.wrappingKey} unwrapping key (unwrap=true)`),
      { name: 'key-type-class', type: 'enum', help: 'Kind of key being unwrapped', required: true, choices: KEY_TYPE_CLASSES },
      stringFlag('label', 'Label of the unwrapped key'),
      ...data.flags,
      ...mechanismFlags(row, 'unwrap'),
      { name: 'attributes', type: 'attributes', help: 'Attributes of the unwrapped key', valueName: 'KEY_ATTRIBUTE=VALUE' },
      ...keyCreationFlags('key'),
      approvalFlag('approval', "the unwrapping key's management"),
    ],
    groups: [data.group],
    examples: [
      {
        line:
          `key unwrap ${row.mechanism} --filter attr.label=${unwrappingLabel} --key-type-class aes --label unwrapped-aes --data ${WRAPPED_SAMPLE}` +
          (row.explicitIv ? ' --iv 0xf90613bb8e337ec0339aad21' : '') +
          exampleFlags(row),
        answer: success({ key: notLocal({ ...AES_KEY, attributes: { ...AES_KEY.attributes, label: 'unwrapped-aes', 'never-extractable': false } }) }),
      },
    ],
    toArgs: async (f, io) => ({
      mechanism: row.mechanism,
      filter: f.words('filter'),
      keyTypeClass: f.string('key-type-class') as KeyTypeClass,
      label: f.string('label'),
      data: await bytesFrom(f, io, 'data'),
      ...optional('iv', f.optBytes('iv')),
      ...mechanismArgs(row, f),
      ...optional('attributes', f.optPairs('attributes')),
      ...keyCreationArgs(f, 'key'),
      ...(await approvalArgs(f, io)),
    }),
  });
}

export const WRAP_COMMANDS: readonly CliCommand[] = [...MECHANISMS.map(wrapCommand), ...MECHANISMS.map(unwrapCommand)];
