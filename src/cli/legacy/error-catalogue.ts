/**
 * The return codes of the legacy tools (spec §10): what KMU prints after `Cfm3… returned:` and
 * `Error2String` explains, and the `RET_…` names CMU prints after `<cmd> failed:`. Each HSM
 * failure reason (src/hsm/envelope.ts) maps to exactly one code, so the same refusal reads the
 * same in every tool. Codes the documentation shows are marked `documented`; the others are the
 * simulator's stable choices (spec §10 [SIM]).
 * @module
 */
import type { Failure, Reason } from '../../hsm/envelope.ts';

export interface LegacyCode {
  /** The KMU byte, e.g. 0xa8. */
  readonly code: number;
  /** What follows the code: `HSM Error: Invalid object handle is passed to this operation`. */
  readonly text: string;
  /** The CMU name printed after `<cmd> failed:`. */
  readonly cmuName: string;
  /** Seen in the AWS documentation (otherwise a simulator choice). */
  readonly documented: boolean;
}

function code(value: number, text: string, cmuName: string, documented: boolean): LegacyCode {
  return { code: value, text, cmuName, documented };
}

export const SUCCESS = code(0x00, 'HSM Return: SUCCESS', 'RET_OK', true);
export const BAD_SIGNATURE = code(0x1b, 'CSP Error: ERR_BAD_PKCS_DATA', 'RET_BAD_PKCS_DATA', true);
export const INVALID_HANDLE = code(0xa8, 'HSM Error: Invalid object handle is passed to this operation', 'RET_INVALID_HANDLE', true);
export const FIPS_POLICY = code(0xb3, 'HSM Error: This operation violates the current configured/FIPS policies', 'RET_POLICY_MISMATCH', true);
export const KEY_ACCESS_DENIED = code(0xc6, 'HSM Error: Key Access is denied', 'RET_KEY_ACCESS_DENIED', true);
export const INVALID_USER_TYPE = code(0xdb, 'HSM Error: Invalid User Type', 'RET_INVALID_USER_TYPE', true);
export const QUORUM_FAILED = code(0xd4, 'HSM Error: M of N authorization failed', 'RET_MXN_AUTH_FAILED', false);
export const INVALID_INPUT = code(0xa3, 'HSM Error: Invalid input data/params', 'RET_INVALID_INPUT', false);
export const NOT_LOGGED_IN = code(0xa4, 'HSM Error: User is not logged in', 'RET_USER_NOT_LOGGED_IN', false);
export const PERMISSION_DENIED = code(0xa5, 'HSM Error: This user type is not permitted to run this operation', 'RET_USER_NOT_PERMITTED', false);
export const LOGIN_FAILED = code(0xa6, 'HSM Error: Invalid user name or password', 'RET_USER_LOGIN_FAILURE', false);
export const ALREADY_LOGGED_IN = code(0xa2, 'HSM Error: User is already logged in', 'RET_USER_ALREADY_LOGGED_IN', false);
export const USER_LOCKED = code(0xa7, 'HSM Error: User account is locked', 'RET_USER_LOCKED', false);
export const USER_EXISTS = code(0xa9, 'HSM Error: User already exists', 'RET_USER_EXISTS', false);
export const USER_NOT_FOUND = code(0xaa, 'HSM Error: User does not exist', 'RET_USER_NOT_FOUND', false);
export const USER_OWNS_KEYS = code(0xab, 'HSM Error: User owns keys and cannot be deleted', 'RET_USER_OWNS_KEYS', false);
export const USER_LOGGED_IN = code(0xac, 'HSM Error: User is logged in and cannot be modified', 'RET_USER_LOGGED_IN', false);
export const LIMIT_REACHED = code(0xad, 'HSM Error: Object or user limit reached', 'RET_LIMIT_REACHED', false);
export const ATTRIBUTE_READ_ONLY = code(0xae, 'HSM Error: Attribute is not modifiable', 'RET_ATTRIBUTE_READ_ONLY', false);
export const NOT_EXTRACTABLE = code(0xaf, 'HSM Error: Key is not extractable', 'RET_KEY_NOT_EXTRACTABLE', false);
export const BAD_MASKED_OBJECT = code(0xb0, 'HSM Error: Masked object is invalid or from another cluster', 'RET_INVALID_MASKED_OBJECT', false);
export const ALREADY_ACTIVATED = code(0xb1, 'HSM Error: Cluster is already activated', 'RET_ALREADY_ACTIVATED', false);
export const NOT_ACTIVATED = code(0xb2, 'HSM Error: Cluster is not activated', 'RET_NOT_ACTIVATED', false);
export const INTERNAL = code(0x30000085, 'HSM CLUSTER ERROR: Server in cluster is unavailable', 'RET_CLUSTER_ERROR', true);

/** Every code, for `Error2String` and the tests. */
export const LEGACY_CODES: readonly LegacyCode[] = [
  SUCCESS, BAD_SIGNATURE, ALREADY_LOGGED_IN, INVALID_INPUT, NOT_LOGGED_IN, PERMISSION_DENIED, LOGIN_FAILED, USER_LOCKED, INVALID_HANDLE,
  USER_EXISTS, USER_NOT_FOUND, USER_OWNS_KEYS, USER_LOGGED_IN, LIMIT_REACHED, ATTRIBUTE_READ_ONLY, NOT_EXTRACTABLE,
  BAD_MASKED_OBJECT, ALREADY_ACTIVATED, NOT_ACTIVATED, FIPS_POLICY, KEY_ACCESS_DENIED, QUORUM_FAILED, INVALID_USER_TYPE, INTERNAL,
];

const BY_REASON: Readonly<Record<Reason, LegacyCode>> = {
  'permission-denied': PERMISSION_DENIED,
  'not-logged-in': NOT_LOGGED_IN,
  'bad-request': INVALID_INPUT,
  'invalid-credentials': LOGIN_FAILED,
  'user-locked': USER_LOCKED,
  'user-exists': USER_EXISTS,
  'user-not-found': USER_NOT_FOUND,
  'user-owns-keys': USER_OWNS_KEYS,
  'user-logged-in': USER_LOGGED_IN,
  'limit-reached': LIMIT_REACHED,
  'already-activated': ALREADY_ACTIVATED,
  'not-activated': NOT_ACTIVATED,
  'key-not-found': INVALID_HANDLE,
  'key-ambiguous': INVALID_HANDLE,
  'attribute-not-modifiable': ATTRIBUTE_READ_ONLY,
  'key-not-permitted': KEY_ACCESS_DENIED,
  'not-extractable': NOT_EXTRACTABLE,
  'verification-failed': BAD_SIGNATURE,
  'bad-masked-object': BAD_MASKED_OBJECT,
  'bad-backup': INVALID_INPUT,
  'quorum-required': QUORUM_FAILED,
  'invalid-quorum-value': INVALID_INPUT,
  'internal-error': INTERNAL,
};

/** The code a failed HSM answer is reported with. */
export function codeForFailure(failure: Pick<Failure, 'reason'>): LegacyCode {
  return BY_REASON[failure.reason];
}

/**
 * The code for a refusal as seen by a caller with `role` (undefined = nobody logged in). A refusal
 * by role (the failure names the roles that may run the operation) is "not logged in" for nobody,
 * "already logged in" for a logged-in session asking to log in, and "user type not permitted"
 * otherwise (a CU running createUser). A refusal about one key (no roles named: the caller may
 * run the operation but not on that key, e.g. a shared user deleting) is "Key Access is denied"
 * (0xc6).
 */
export function codeForRefusal(failure: Pick<Failure, 'reason' | 'allowedRoles'>, role: string | undefined): LegacyCode {
  if (failure.reason === 'permission-denied') {
    if (role === undefined) return NOT_LOGGED_IN;
    const roles = failure.allowedRoles;
    if (roles === undefined || roles.length === 0) return KEY_ACCESS_DENIED;
    if (roles.length === 1 && roles[0] === 'unauthenticated') return ALREADY_LOGGED_IN;
    return PERMISSION_DENIED;
  }
  return codeForFailure(failure);
}

/** Looks a code up by its number (`Error2String -r 0xdb`). */
export function findCode(value: number): LegacyCode | undefined {
  return LEGACY_CODES.find((c) => c.code === value);
}

/** `0xa8` (two digits at least; the cluster error keeps its 8). */
export function formatCode(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')}`;
}

/** `0x000000a8`: how the per-node `err state` is printed. */
export function formatNodeState(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
