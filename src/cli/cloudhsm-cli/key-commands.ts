/**
 * cloudhsm-cli `key` commands except wrap/unwrap: generate, import, export to a file, list,
 * share, unshare, delete, set-attribute, replicate (spec §3.3, §4.5).
 * @module
 */
import type { Success } from '../../hsm/envelope.ts';
import { fail, ok } from '../../hsm/envelope.ts';
import { fromPem } from '../../crypto/pem.ts';
import { referencePem } from './reference-pem.ts';
import type { CliRoleArg, CurveName } from '../../hsm/requests.ts';
import { AES_KEY, EC_PRIVATE_KEY, EC_PUBLIC_KEY, notLocal, success } from './example-answers.ts';
import {
  filterFlag,
  keyCreationArgs,
  keyCreationFlags,
  optional,
  readFileOrFail,
  requestCommand,
  roleFlag,
  stringFlag,
  usernameFlag,
  type CliCommand,
  type FlowCommand,
  type RequestCommand,
  approvalArgs,
  approvalFlag,
} from './command.ts';

export const CURVES: readonly CurveName[] = ['prime256v1', 'secp256r1', 'secp224r1', 'secp384r1', 'secp256k1', 'secp521r1'];

const FILTER = filterFlag('filter', 'Key filter terms selecting exactly one key: key-reference=0x… or attr.<name>=<value>');

function symmetric(keyType: 'aes' | 'generic-secret', min: number, max: number, example: string): RequestCommand {
  return requestCommand({
    path: ['key', 'generate-symmetric', keyType],
    op: 'key.generate-symmetric',
    help: keyType === 'aes' ? 'Generate an AES key' : 'Generate a generic secret key (e.g. for HMAC)',
    flags: [
      stringFlag('label', 'Label of the key'),
      { name: 'key-length-bytes', type: 'int', help: keyType === 'aes' ? 'Key length: 16, 24 or 32' : 'Key length in bytes', required: true, min, max },
      { name: 'attributes', type: 'attributes', help: 'Attributes to set, e.g. encrypt=true decrypt=true', valueName: 'KEY_ATTRIBUTE=VALUE' },
      ...keyCreationFlags('key'),
    ],
    examples: [
      {
        line: example,
        answer: success({ key: keyType === 'aes' ? AES_KEY : { ...AES_KEY, attributes: { ...AES_KEY.attributes, 'key-type': 'generic-secret', label: 'example-generic', 'key-length-bytes': 32 } } }),
      },
    ],
    toArgs: (f) => ({
      keyType,
      label: f.string('label'),
      keyLengthBytes: f.int('key-length-bytes'),
      ...optional('attributes', f.optPairs('attributes')),
      ...keyCreationArgs(f, 'key'),
    }),
  });
}

function asymmetric(keyType: 'ec' | 'rsa'): RequestCommand {
  const typeFlags =
    keyType === 'ec'
      ? [{ name: 'curve', type: 'enum' as const, help: 'Elliptic curve', required: true, choices: CURVES }]
      : [
          { name: 'modulus-size-bits', type: 'int' as const, help: 'Modulus size in bits: 2048 to 4096, a multiple of 8', required: true, min: 2048, max: 4096 },
          stringFlag('public-exponent', 'Public exponent, odd and at least 65537 (decimal or 0x-hex)'),
        ];
  const example =
    keyType === 'ec'
      ? 'key generate-asymmetric-pair ec --curve secp256r1 --public-label ec-public --private-label ec-private'
      : 'key generate-asymmetric-pair rsa --modulus-size-bits 2048 --public-exponent 65537 --public-label rsa-public --private-label rsa-private';
  return requestCommand({
    path: ['key', 'generate-asymmetric-pair', keyType],
    op: 'key.generate-asymmetric-pair',
    help: keyType === 'ec' ? 'Generate an EC key pair' : 'Generate an RSA key pair',
    flags: [
      stringFlag('public-label', 'Label of the public key'),
      stringFlag('private-label', 'Label of the private key'),
      ...typeFlags,
      { name: 'public-attributes', type: 'attributes', help: 'Attributes of the public key, e.g. verify=true', valueName: 'KEY_ATTRIBUTE=VALUE' },
      { name: 'private-attributes', type: 'attributes', help: 'Attributes of the private key, e.g. sign=true', valueName: 'KEY_ATTRIBUTE=VALUE' },
      ...keyCreationFlags('private-key'),
    ],
    examples: [{ line: example, answer: success({ public_key: EC_PUBLIC_KEY, private_key: EC_PRIVATE_KEY }), ...(keyType === 'rsa' ? { note: 'answer shape; RSA keys add public-exponent, modulus, modulus-size-bits' } : {}) }],
    toArgs: (f) => ({
      keyType,
      publicLabel: f.string('public-label'),
      privateLabel: f.string('private-label'),
      ...optional('curve', f.optString('curve') as CurveName | undefined),
      ...optional('modulusSizeBits', f.optInt('modulus-size-bits')),
      ...optional('publicExponent', f.optString('public-exponent')),
      ...optional('publicAttributes', f.optPairs('public-attributes')),
      ...optional('privateAttributes', f.optPairs('private-attributes')),
      ...keyCreationArgs(f, 'private-key'),
    }),
  });
}

/** The PEM text of a `key.export-pem` answer (`"-----BEGIN…"` or `{ "pem": "-----BEGIN…" }`). */
export function pemOf(answer: Success): string | undefined {
  const data = answer.data;
  if (typeof data === 'string') return data;
  if (typeof data === 'object' && data !== null && 'pem' in data && typeof data.pem === 'string') return data.pem;
  return undefined;
}

/**
 * `key generate-file`: `--encoding pem` writes the SubjectPublicKeyInfo of a key (the public half
 * of a pair); `--encoding reference-pem` writes a reference PEM naming a private key (see
 * reference-pem.ts). Both first ask the HSM for the key's public PEM, so the HSM applies the
 * policy and the single-key rule (spec §3.3) exactly as for `pem`.
 */
const GENERATE_FILE: FlowCommand = {
  kind: 'flow',
  path: ['key', 'generate-file'],
  // The PEM export carries the policy; the reference needs the key's reference from a list.
  roles: { allOf: ['key.export-pem', 'key.list'] },
  help: 'Write a key file: a public key as PEM, or a reference to a private key (reference-pem)',
  details:
    'pem: the SubjectPublicKeyInfo of an EC or RSA key (of a private key: its public half). ' +
    'reference-pem: a "fake PEM" for TLS offload that names a private key in the HSM instead of holding it. ' +
    'In the playground it is an EC PRIVATE KEY / RSA PRIVATE KEY block with the real public values and, in place of every secret field, ' +
    'the marker "cloudhsm-ref:" followed by the 8-byte key reference; no key material leaves the HSM.',
  flags: [
    { name: 'encoding', type: 'enum', help: 'File format: pem (public keys) or reference-pem (private keys)', required: true, choices: ['reference-pem', 'pem'] },
    stringFlag('path', 'File to write'),
    FILTER,
  ],
  examples: [
    {
      line: 'key generate-file --encoding pem --path ec-public.pem --filter attr.label=ec-public',
      answer: success({ message: 'Successfully generated key file' }),
    },
    {
      line: 'key generate-file --encoding reference-pem --path ec-private.pem --filter attr.label=ec-private',
      answer: success({ message: 'Successfully generated key file' }),
    },
  ],
  async run(flags, session, io) {
    const filter = flags.words('filter');
    const exported = await session.request('key.export-pem', { filter });
    if (exported.error_code !== 0) return exported;
    const pem = pemOf(exported);
    if (pem === undefined) return fail('internal-error', 'The HSM answered no PEM for this key');
    let text = pem;
    if (flags.string('encoding') === 'reference-pem') {
      const listed = await session.request('key.list', { filter, verbose: true, maxItems: 1 });
      if (listed.error_code !== 0) return listed;
      const key = (listed.data as { matched_keys?: { 'key-reference'?: string; attributes?: { class?: string } }[] }).matched_keys?.[0];
      const reference = key?.['key-reference'];
      if (reference === undefined) return fail('key-not-found', 'Key not found');
      if (key?.attributes?.class !== 'private-key') {
        return fail('key-not-permitted', `The reference-pem encoding references a private key; key ${reference} is a ${key?.attributes?.class ?? 'key'}: use --encoding pem for public keys`);
      }
      text = referencePem(reference, fromPem(pem).der);
    }
    await io.writeFile(flags.string('path'), new TextEncoder().encode(text));
    return ok({ message: 'Successfully generated key file' });
  },
};

const shareFlags = [FILTER, usernameFlag('Crypto user to share with'), roleFlag(['crypto-user'], 'Role of that user (crypto-user)')];

export const KEY_COMMANDS: readonly CliCommand[] = [
  symmetric('aes', 16, 32, 'key generate-symmetric aes --label example-aes --key-length-bytes 32'),
  symmetric('generic-secret', 1, 800, 'key generate-symmetric generic-secret --label example-generic --key-length-bytes 32 --attributes sign=true verify=true'),
  asymmetric('ec'),
  asymmetric('rsa'),
  requestCommand({
    path: ['key', 'import', 'pem'],
    op: 'key.import-pem',
    help: 'Import a public key from a PEM file',
    flags: [
      stringFlag('path', 'PEM file holding the public key (SubjectPublicKeyInfo)'),
      stringFlag('label', 'Label of the imported key'),
      { name: 'key-type-class', type: 'enum', help: 'Kind of key in the file', required: true, choices: ['ec-public', 'rsa-public'] },
      { name: 'attributes', type: 'attributes', help: 'Attributes to set', valueName: 'KEY_ATTRIBUTE=VALUE' },
    ],
    examples: [
      {
        line: 'key import pem --path ec-public.pem --label imported-ec --key-type-class ec-public',
        answer: success({ key: notLocal(EC_PUBLIC_KEY), message: 'Successfully imported key' }),
      },
    ],
    toArgs: async (f, io) => ({
      pem: new TextDecoder().decode(await readFileOrFail(io, f.string('path'))),
      label: f.string('label'),
      keyTypeClass: f.string('key-type-class') as 'ec-public' | 'rsa-public',
      ...optional('attributes', f.optPairs('attributes')),
    }),
  }),
  GENERATE_FILE,
  requestCommand({
    path: ['key', 'list'],
    op: 'key.list',
    help: 'List the keys you own or share, and every public key',
    details: 'Pages of --max-items keys; pass next_token back as --starting-token for the next page. --verbose prints full key objects (no effect for admins).',
    flags: [
      filterFlag('filter', 'Only keys matching every term', false),
      { name: 'max-items', type: 'int', help: 'Keys per page', default: 10, min: 1 },
      { name: 'starting-token', type: 'string', help: 'next_token of the previous page' },
      { name: 'verbose', type: 'bool', help: 'Print full key objects' },
    ],
    examples: [
      {
        line: 'key list --filter attr.label=example-aes',
        answer: success({ matched_keys: [{ 'key-reference': '0x00000000002e06bf', attributes: { label: 'example-aes' } }], total_key_count: 1, returned_key_count: 1 }),
      },
      {
        line: 'key list --verbose --max-items 1',
        answer: success({ matched_keys: [AES_KEY], total_key_count: 3, returned_key_count: 1, next_token: '1' }),
      },
    ],
    toArgs: (f) => ({
      ...optional('filter', f.optWords('filter')),
      ...(f.bool('verbose') ? { verbose: true } : {}),
      ...optional('maxItems', f.optInt('max-items')),
      ...optional('startingToken', f.optString('starting-token')),
    }),
  }),
  requestCommand({
    path: ['key', 'delete'],
    op: 'key.delete',
    help: 'Delete a key you own',
    flags: [FILTER, approvalFlag()],
    examples: [{ line: 'key delete --filter attr.label=example-aes', answer: success({ message: 'Key deleted successfully' }) }],
    toArgs: async (f, io) => ({ filter: f.words('filter'), ...(await approvalArgs(f, io)) }),
  }),
  requestCommand({
    path: ['key', 'share'],
    op: 'key.share',
    help: 'Let another crypto user use a key you own',
    flags: [...shareFlags, approvalFlag()],
    examples: [{ line: 'key share --filter attr.label=example-aes --username cu2 --role crypto-user', answer: success({ message: 'Key shared successfully' }) }],
    toArgs: async (f, io) => ({ filter: f.words('filter'), username: f.string('username'), role: f.string('role') as CliRoleArg, ...(await approvalArgs(f, io)) }),
  }),
  requestCommand({
    path: ['key', 'unshare'],
    op: 'key.unshare',
    help: 'Stop sharing a key you own with a crypto user',
    flags: [...shareFlags, approvalFlag()],
    examples: [{ line: 'key unshare --filter attr.label=example-aes --username cu2 --role crypto-user', answer: success({ message: 'Key unshared successfully' }) }],
    toArgs: async (f, io) => ({ filter: f.words('filter'), username: f.string('username'), role: f.string('role') as CliRoleArg, ...(await approvalArgs(f, io)) }),
  }),
  {
    kind: 'request',
    path: ['key', 'set-attribute'],
    op: 'key.set-attribute',
    roles: { anyOf: ['key.set-attribute', 'key.set-trusted'] },
    help: 'Change one attribute of a key (admins: only trusted)',
    details: 'Owners change usage attributes; only an admin sets trusted. Some attributes only change one way (spec §5.1).',
    flags: [FILTER, stringFlag('name', 'Attribute name, e.g. encrypt, label, trusted'), stringFlag('value', 'New value (true/false for booleans)'), approvalFlag()],
    examples: [
      { line: 'key set-attribute --filter attr.label=example-aes --name encrypt --value true', answer: success({ message: 'Attribute set successfully' }) },
      { line: 'key set-attribute --filter attr.label=example-aes --name trusted --value true', answer: success({ message: 'Attribute set successfully' }), note: 'as admin' },
    ],
    async toRequest(f, io) {
      const filter = f.words('filter');
      const name = f.string('name');
      const value = f.string('value');
      return name === 'trusted' ? { op: 'key.set-trusted', args: { filter, value } } : { op: 'key.set-attribute', args: { filter, name, value, ...(await approvalArgs(f, io)) } };
    },
  },
  {
    kind: 'replication',
    path: ['key', 'replicate'],
    // Finding the key needs key.list (admins and crypto users); copying it is a masked-object extraction.
    roles: { allOf: ['key.list', 'object.extract-masked'] },
    help: 'Copy a key from one cluster to another',
    flags: [FILTER, stringFlag('source-cluster-id', 'Cluster to copy from'), stringFlag('destination-cluster-id', 'Cluster to copy to')],
    examples: [
      {
        line: 'key replicate --filter attr.label=example-aes --source-cluster-id cluster-1 --destination-cluster-id cluster-2',
        answer: success({ key: AES_KEY, message: 'Successfully replicated key' }),
      },
    ],
    run: (f, port) => port.replicateKey(f.words('filter'), f.string('source-cluster-id'), f.string('destination-cluster-id')),
  },
];
