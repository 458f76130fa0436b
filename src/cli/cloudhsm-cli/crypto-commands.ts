/**
 * cloudhsm-cli `crypto` commands: sign/verify (spec §4.7), and the playground extensions for the
 * operations the permission table lists but the documented tool lacks: HMAC generate/verify
 * (§4.8), AES encrypt/decrypt, and digests.
 * @module
 */
import type { CipherMechanism, SignMechanism } from '../../hsm/requests.ts';
import type { FlagSpec } from '../machinery/spec.ts';
import { SIGNATURE, failure, success } from './example-answers.ts';
import { bytesFlags, bytesFrom, filterFlag, HASH_FLAG, hashOf, MGF_CHOICES, mgfHash, optional, requestCommand, type CliCommand, type RequestCommand, approvalArgs, approvalFlag } from './command.ts';

const KEY_FILTER = filterFlag('key-filter', 'Filter selecting exactly one key');
const DATA_TYPE: FlagSpec = { name: 'data-type', type: 'enum', help: 'raw: hash the data; digest: the data is already a digest', choices: ['raw', 'digest'], default: 'raw' };
const SIGN_MECHANISMS: readonly SignMechanism[] = ['ecdsa', 'rsa-pkcs', 'rsa-pkcs-pss'];

function pssFlags(mechanism: SignMechanism): FlagSpec[] {
  if (mechanism !== 'rsa-pkcs-pss') return [];
  return [
    { name: 'mgf', type: 'enum', help: 'Mask generation function (must match the hash)', required: true, choices: MGF_CHOICES },
    { name: 'salt-length', type: 'int', help: 'Salt length in bytes', required: true, min: 0, max: 1024 },
  ];
}

function signArgs(mechanism: SignMechanism, f: Parameters<RequestCommand['toRequest']>[0]) {
  return {
    mechanism,
    keyFilter: f.words('key-filter'),
    hashFunction: hashOf(f),
    ...optional('dataType', f.optString('data-type') as 'raw' | 'digest' | undefined),
    ...optional('mgf', mechanism === 'rsa-pkcs-pss' ? mgfHash(f.string('mgf')) : undefined),
    ...optional('saltLength', f.optInt('salt-length')),
  };
}

function keyLabel(mechanism: SignMechanism, half: 'private' | 'public'): string {
  return `${mechanism === 'ecdsa' ? 'ec' : 'rsa'}-${half}`;
}

function pssExample(mechanism: SignMechanism): string {
  return mechanism === 'rsa-pkcs-pss' ? ' --mgf mgf1-sha256 --salt-length 32' : '';
}

function signCommand(mechanism: SignMechanism): RequestCommand {
  const data = bytesFlags('data', 'Data to sign');
  return requestCommand({
    path: ['crypto', 'sign', mechanism],
    op: 'crypto.sign',
    help: `Sign data with ${mechanism === 'ecdsa' ? 'an EC' : 'an RSA'} private key (${mechanism})`,
    details: mechanism === 'ecdsa' ? 'The signature is raw r‖s (not DER), base64.' : undefined,
    flags: [KEY_FILTER, HASH_FLAG, ...data.flags, DATA_TYPE, ...pssFlags(mechanism), approvalFlag()],
    groups: [data.group],
    examples: [
      {
        line: `crypto sign ${mechanism} --key-filter attr.label=${keyLabel(mechanism, 'private')} --hash-function sha256 --data YWJjMTIz${pssExample(mechanism)}`,
        answer: success({ 'key-reference': '0x00000000007808dd', signature: SIGNATURE }),
      },
    ],
    toArgs: async (f, io) => ({ ...signArgs(mechanism, f), data: await bytesFrom(f, io, 'data'), ...(await approvalArgs(f, io)) }),
  });
}

function verifyCommand(mechanism: SignMechanism): RequestCommand {
  const data = bytesFlags('data', 'Signed data');
  const signature = bytesFlags('signature', 'Signature');
  return requestCommand({
    path: ['crypto', 'verify', mechanism],
    op: 'crypto.verify',
    help: `Verify a signature with ${mechanism === 'ecdsa' ? 'an EC' : 'an RSA'} public key (${mechanism})`,
    flags: [KEY_FILTER, HASH_FLAG, ...data.flags, ...signature.flags, DATA_TYPE, ...pssFlags(mechanism)],
    groups: [data.group, signature.group],
    examples: [
      {
        line: `crypto verify ${mechanism} --key-filter attr.label=${keyLabel(mechanism, 'public')} --hash-function sha256 --data YWJjMTIz --signature ${SIGNATURE}${pssExample(mechanism)}`,
        answer: success({ message: 'Signature verified successfully' }),
      },
      {
        line: `crypto verify ${mechanism} --key-filter attr.label=${keyLabel(mechanism, 'public')} --hash-function sha256 --data YWJjMTI0 --signature ${SIGNATURE}${pssExample(mechanism)}`,
        answer: failure('Signature verification failed'),
        note: 'the data was changed',
      },
    ],
    toArgs: async (f, io) => ({ ...signArgs(mechanism, f), data: await bytesFrom(f, io, 'data'), signature: await bytesFrom(f, io, 'signature') }),
  });
}

const MAC_SAMPLE = 'kLYHWOF4J6RH4kcbnsLYGP1GBAeHHSWqfB04pJCjGEM=';

const macGenerate = (() => {
  const data = bytesFlags('data', 'Data to authenticate');
  return requestCommand({
    path: ['crypto', 'mac', 'generate', 'hmac'],
    op: 'crypto.mac-generate',
    extension: true,
    help: 'Compute an HMAC with a generic-secret or AES key (sign=true)',
    flags: [KEY_FILTER, HASH_FLAG, ...data.flags, approvalFlag()],
    groups: [data.group],
    examples: [
      {
        line: 'crypto mac generate hmac --key-filter attr.label=example-generic --hash-function sha256 --data YWJjMTIz',
        answer: success({ 'key-reference': '0x00000000002e06c1', mac: MAC_SAMPLE }),
      },
    ],
    toArgs: async (f, io) => ({ keyFilter: f.words('key-filter'), hashFunction: hashOf(f), data: await bytesFrom(f, io, 'data'), ...(await approvalArgs(f, io)) }),
  });
})();

const macVerify = (() => {
  const data = bytesFlags('data', 'Authenticated data');
  const mac = bytesFlags('mac', 'MAC');
  return requestCommand({
    path: ['crypto', 'mac', 'verify', 'hmac'],
    op: 'crypto.mac-verify',
    extension: true,
    help: 'Check an HMAC with a generic-secret or AES key (verify=true)',
    flags: [KEY_FILTER, HASH_FLAG, ...data.flags, ...mac.flags],
    groups: [data.group, mac.group],
    examples: [
      {
        line: `crypto mac verify hmac --key-filter attr.label=example-generic --hash-function sha256 --data YWJjMTIz --mac ${MAC_SAMPLE}`,
        answer: success({ message: 'MAC verified successfully' }),
      },
      {
        line: `crypto mac verify hmac --key-filter attr.label=example-generic --hash-function sha256 --data YWJjMTI0 --mac ${MAC_SAMPLE}`,
        answer: failure('MAC verification failed'),
        note: 'the data was changed',
      },
    ],
    toArgs: async (f, io) => ({
      keyFilter: f.words('key-filter'),
      hashFunction: hashOf(f),
      data: await bytesFrom(f, io, 'data'),
      mac: await bytesFrom(f, io, 'mac'),
    }),
  });
})();

const CIPHERS: readonly CipherMechanism[] = ['aes-gcm', 'aes-cbc', 'aes-ctr'];

function cipherFlags(mechanism: CipherMechanism, ivRequired: boolean): FlagSpec[] {
  const flags: FlagSpec[] = [
    { name: 'iv', type: 'hex', help: ivRequired ? 'IV printed by crypto encrypt (hex)' : 'IV (hex); a random one when left off', required: ivRequired },
  ];
  if (mechanism === 'aes-gcm') {
    flags.push({ name: 'aad', type: 'hex', help: 'Additional authenticated data (hex)' });
    flags.push({ name: 'tag-length-bits', type: 'int', help: 'GCM tag length in bits', default: 128, min: 96, max: 128 });
  }
  return flags;
}

const CIPHER_IV: Record<CipherMechanism, string> = {
  'aes-gcm': '0xf90613bb8e337ec0339aad21',
  'aes-cbc': '0x000102030405060708090a0b0c0d0e0f',
  'aes-ctr': '0x000102030405060708090a0b0c0d0e0f',
};

function encryptCommand(mechanism: CipherMechanism): RequestCommand {
  const data = bytesFlags('data', 'Plaintext');
  return requestCommand({
    path: ['crypto', 'encrypt', mechanism],
    op: 'crypto.encrypt',
    extension: true,
    help: `Encrypt data with an AES key (encrypt=true), ${mechanism}`,
    details: mechanism === 'aes-gcm' ? 'The GCM tag is appended to the ciphertext.' : mechanism === 'aes-cbc' ? 'PKCS#7 padding.' : undefined,
    flags: [KEY_FILTER, ...data.flags, ...cipherFlags(mechanism, false)],
    groups: [data.group],
    examples: [
      {
        line: `crypto encrypt ${mechanism} --key-filter attr.label=example-aes --data YWJjMTIz`,
        answer: success({ 'key-reference': '0x00000000002e06bf', iv: CIPHER_IV[mechanism], ciphertext: 'Nf3wsW1xz4ybiTzBgYSR2s7JNKkK9w==' }),
      },
    ],
    toArgs: async (f, io) => ({
      mechanism,
      keyFilter: f.words('key-filter'),
      data: await bytesFrom(f, io, 'data'),
      ...optional('iv', f.optBytes('iv')),
      ...optional('aad', f.optBytes('aad')),
      ...optional('tagLengthBits', f.optInt('tag-length-bits')),
    }),
  });
}

function decryptCommand(mechanism: CipherMechanism): RequestCommand {
  const data = bytesFlags('data', 'Ciphertext');
  return requestCommand({
    path: ['crypto', 'decrypt', mechanism],
    op: 'crypto.decrypt',
    extension: true,
    help: `Decrypt data with an AES key (decrypt=true), ${mechanism}`,
    flags: [KEY_FILTER, ...data.flags, ...cipherFlags(mechanism, true)],
    groups: [data.group],
    examples: [
      {
        line: `crypto decrypt ${mechanism} --key-filter attr.label=example-aes --data Nf3wsW1xz4ybiTzBgYSR2s7JNKkK9w== --iv ${CIPHER_IV[mechanism]}`,
        answer: success({ 'key-reference': '0x00000000002e06bf', data: 'YWJjMTIz' }),
      },
    ],
    toArgs: async (f, io) => ({
      mechanism,
      keyFilter: f.words('key-filter'),
      data: await bytesFrom(f, io, 'data'),
      iv: f.bytes('iv'),
      ...optional('aad', f.optBytes('aad')),
      ...optional('tagLengthBits', f.optInt('tag-length-bits')),
    }),
  });
}

const digest = (() => {
  const data = bytesFlags('data', 'Data to hash');
  return requestCommand({
    path: ['crypto', 'digest'],
    op: 'crypto.digest',
    extension: true,
    help: 'Hash data inside the HSM',
    flags: [HASH_FLAG, ...data.flags],
    groups: [data.group],
    examples: [
      { line: 'crypto digest --hash-function sha256 --data YWJj', answer: success({ digest: 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=' }) },
    ],
    toArgs: async (f, io) => ({ hashFunction: hashOf(f), data: await bytesFrom(f, io, 'data') }),
  });
})();

export const CRYPTO_COMMANDS: readonly CliCommand[] = [
  ...SIGN_MECHANISMS.map(signCommand),
  ...SIGN_MECHANISMS.map(verifyCommand),
  macGenerate,
  macVerify,
  ...CIPHERS.map(encryptCommand),
  ...CIPHERS.map(decryptCommand),
  digest,
];
