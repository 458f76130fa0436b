/**
 * The documented shapes of cloudhsm-cli answers (spec §3.2–3.4, §4), used as the examples of the
 * command table, in help and in docs/commands.md. Values are the spec's sample values.
 * @module
 */

export function success(data: unknown): { error_code: 0; data: unknown } {
  return { error_code: 0, data };
}

export function failure(message: string): { error_code: 1; data: string } {
  return { error_code: 1, data: message };
}

const KEY_INFO = {
  'key-owners': [{ username: 'cu1', 'key-coverage': 'full' }],
  'shared-users': [],
  'key-quorum-values': { 'manage-key-quorum-value': 0, 'use-key-quorum-value': 0 },
  'cluster-coverage': 'full',
};

const COMMON_FLAGS = {
  id: '',
  'check-value': '0x9b94bd',
};

/** An AES-256 key object as generated (spec §3.4). */
export const AES_KEY = {
  'key-reference': '0x00000000002e06bf',
  'key-info': KEY_INFO,
  attributes: {
    'key-type': 'aes', label: 'example-aes', ...COMMON_FLAGS, class: 'secret-key',
    encrypt: false, decrypt: false, token: true, 'always-sensitive': true, derive: false, destroyable: true,
    extractable: true, local: true, modifiable: true, 'never-extractable': false, private: true, sensitive: true,
    sign: true, trusted: false, unwrap: false, verify: true, wrap: false, 'wrap-with-trusted': false, 'key-length-bytes': 32,
  },
};

const EC_POINT = '0x04' + 'a1'.repeat(32) + 'b2'.repeat(32);

function ecKey(reference: string, cls: 'public-key' | 'private-key', label: string, lengthBytes: number) {
  return {
    'key-reference': reference,
    'key-info': cls === 'public-key' ? { ...KEY_INFO, 'shared-users': [] } : KEY_INFO,
    attributes: {
      'key-type': 'ec', label, id: '', 'check-value': '0x4a8fb1', class: cls,
      encrypt: false, decrypt: false, token: true, 'always-sensitive': cls === 'private-key', derive: false,
      destroyable: true, extractable: true, local: true, modifiable: true, 'never-extractable': false,
      private: true, sensitive: cls === 'private-key', sign: false, trusted: false, unwrap: false, verify: false,
      wrap: false, 'wrap-with-trusted': false, 'key-length-bytes': lengthBytes, 'ec-point': EC_POINT, curve: 'secp256r1',
    },
  };
}

export const EC_PUBLIC_KEY = ecKey('0x00000000007808dc', 'public-key', 'ec-public', 65);
export const EC_PRIVATE_KEY = ecKey('0x00000000007808dd', 'private-key', 'ec-private', 138);

/** An imported (or unwrapped) key: `local` false. */
export function notLocal<T extends { attributes: object }>(key: T): T {
  return { ...key, attributes: { ...key.attributes, local: false } };
}

export const USER_LIST = {
  users: [
    { username: 'admin', role: 'admin', locked: 'false', mfa: [], quorum: [], 'cluster-coverage': 'full' },
    { username: 'cu1', role: 'crypto-user', locked: 'false', mfa: [], quorum: [], 'cluster-coverage': 'full' },
    { username: 'app_user', role: 'internal(APPLIANCE_USER)', locked: 'false', mfa: [], quorum: [], 'cluster-coverage': 'full' },
  ],
};

export const HSM_INFO = {
  hsms: [
    {
      vendor: 'Marvell Semiconductors, Inc.',
      model: 'NITROX-III CNN35XX-NFBE',
      'serial-number': '5.3G1941-ICM000590',
      'hardware-version-major': '5',
      'hardware-version-minor': '3',
      'firmware-version-major': '2',
      'firmware-version-minor': '6',
      'firmware-build-number': '16',
      'firmware-id': 'CNN35XX-NFBE-FW-2.06-16',
      'fips-state': '2 [FIPS mode with single factor authentication]',
    },
  ],
};

export const SIGNATURE = '4zki+FzjhP7Z/KqoQvh4ueMAxQQVp7FQguZ2wOS3Q5bzk+Hc5irV5iTkuxQbropPttVFZ8V6FgR2fz+sPegwCw==';
