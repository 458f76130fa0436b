/**
 * The request shape `{ op, session, args }` and the arguments of every operation.
 * This is the contract between the command tables (src/cli), the cluster client (src/cluster)
 * and the HSM (src/hsm). Binary values travel as Uint8Array; hex strings keep their `0x` prefix
 * only where the CLI prints them so.
 * @module
 */
import type { Op } from './policy.ts';
import type { HashName } from '../crypto/hash.ts';
import type { ApprovalArg } from './quorum/approvals.ts';
import type { SignedChallenge } from './quorum/mfa.ts';
import type { QuorumService, TokenService } from './quorum/quorum-state.ts';

export type { ApprovalArg, SignedChallenge, QuorumService, TokenService };

/** Per-HSM session handle returned by `session.login`; absent = unauthenticated. */
export type SessionId = string;

/** A key filter (spec §3.3): `key-reference=0x…` and/or `attr.<name>=<value>` terms, ANDed. */
export type KeyFilter = readonly string[];

/** Attribute assignments as given on the command line: `{ encrypt: 'true', label: 'x' }`. */
export type AttributeInput = Readonly<Record<string, string>>;

export type CliRoleArg = 'admin' | 'crypto-user' | 'appliance';

export type CurveName = 'prime256v1' | 'secp256r1' | 'secp224r1' | 'secp384r1' | 'secp521r1' | 'secp256k1';

export type WrapMechanism =
  | 'aes-gcm'
  | 'cloudhsm-aes-gcm'
  | 'aes-no-pad'
  | 'aes-pkcs5-pad'
  | 'aes-zero-pad'
  | 'rsa-aes'
  | 'rsa-oaep'
  | 'rsa-pkcs';

export type SignMechanism = 'ecdsa' | 'rsa-pkcs' | 'rsa-pkcs-pss';
export type CipherMechanism = 'aes-gcm' | 'aes-cbc' | 'aes-ctr';
/** AES key wrap as a cipher (KMU `aesWrapUnwrap`): `aes-kw` RFC 3394 (optional 8-byte `iv`, default A6…A6), `aes-kwp` RFC 5649 (no `iv`). */
export type KeyWrapCipherMechanism = 'aes-kw' | 'aes-kwp';
export type KeyTypeClass = 'aes' | 'generic-secret' | 'ec-private' | 'rsa-private' | 'ec-public' | 'rsa-public';

/** `--approval FILE` of a quorum-protected command: the token and its approvals (spec §6.1). */
interface Approved {
  readonly approval?: ApprovalArg;
}

/** `user change-password --deregister-mfa --deregister-quorum` (spec §4.3, §7.1). */
interface Deregistration {
  readonly deregisterMfa?: boolean;
  readonly deregisterQuorum?: boolean;
}

interface KeyCreationCommon {
  readonly session?: boolean;
  readonly shareCryptoUsers?: readonly string[];
  readonly manageKeyQuorumValue?: number;
  readonly useKeyQuorumValue?: number;
}

export interface OpArgs {
  'hsm.info': Record<string, never>;
  /** `legacy`: the caller is CMU/KMU, so new passwords follow settings.minPasswordLengthLegacy (spec §2.3). */
  'cluster.activate': { readonly password: string; readonly legacy?: boolean };
  'session.login': {
    readonly username: string;
    readonly role: CliRoleArg;
    readonly password: string;
    /** MFA token-sign (spec §7.1): the signed challenges, one per HSM; each HSM picks its own. */
    readonly mfaTokens?: readonly SignedChallenge[];
  };
  'session.logout': Record<string, never>;
  /** `withIds`: add each user's CMU `"user-id"` (admin 1, app_user 2, then increasing, never reused). */
  'user.list': { readonly withIds?: boolean };
  'user.change-own-password': Deregistration & { readonly username: string; readonly role: CliRoleArg; readonly password: string; readonly legacy?: boolean };
  'user.change-password': Approved & Deregistration & { readonly username: string; readonly role: CliRoleArg; readonly password: string; readonly legacy?: boolean };
  'user.create': Approved & { readonly username: string; readonly role: CliRoleArg; readonly password: string; readonly legacy?: boolean };
  'user.delete': Approved & { readonly username: string; readonly role: CliRoleArg };
  'hsm.sync-status': Record<string, never>;
  /** Either a key (by filter, single match) or a user (by name). */
  'object.extract-masked': { readonly filter?: KeyFilter; readonly username?: string };
  'object.insert-masked': { readonly blob: Uint8Array };
  'key.generate-symmetric': KeyCreationCommon & {
    readonly keyType: 'aes' | 'generic-secret';
    readonly label: string;
    readonly keyLengthBytes: number;
    readonly attributes?: AttributeInput;
  };
  'key.generate-asymmetric-pair': KeyCreationCommon & {
    readonly keyType: 'ec' | 'rsa';
    readonly publicLabel: string;
    readonly privateLabel: string;
    readonly curve?: CurveName;
    readonly modulusSizeBits?: number;
    /** Decimal or 0x-hex. */
    readonly publicExponent?: string;
    readonly publicAttributes?: AttributeInput;
    readonly privateAttributes?: AttributeInput;
  };
  'key.import-pem': {
    readonly pem: string;
    readonly label: string;
    readonly keyTypeClass: 'ec-public' | 'rsa-public';
    readonly attributes?: AttributeInput;
  };
  /** Public key as SubjectPublicKeyInfo PEM (used by `key generate-file --encoding pem`). */
  'key.export-pem': { readonly filter: KeyFilter };
  'key.delete': Approved & { readonly filter: KeyFilter };
  /** The raw bytes of an extractable secret key the caller owns (KMU `exSymKey`). */
  'key.export-secret': { readonly filter: KeyFilter };
  /** A secret key from raw bytes (KMU `imSymKey`); the new key has `local` false. */
  'key.import-secret': KeyCreationCommon & {
    readonly keyType: 'aes' | 'generic-secret';
    readonly label: string;
    readonly material: Uint8Array;
    readonly attributes?: AttributeInput;
  };
  'key.share': Approved & { readonly filter: KeyFilter; readonly username: string; readonly role: CliRoleArg };
  'key.unshare': Approved & { readonly filter: KeyFilter; readonly username: string; readonly role: CliRoleArg };
  'key.set-attribute': Approved & { readonly filter: KeyFilter; readonly name: string; readonly value: string };
  'key.set-trusted': { readonly filter: KeyFilter; readonly value: string };
  'key.wrap': {
    readonly mechanism: WrapMechanism;
    readonly payloadFilter: KeyFilter;
    readonly wrappingFilter: KeyFilter;
    readonly tagLengthBits?: number;
    readonly aad?: Uint8Array;
    readonly hashFunction?: HashName;
    readonly mgf?: HashName;
    /** Approvals for the payload key's and the wrapping key's management quorum (spec §4.5). */
    readonly payloadApproval?: ApprovalArg;
    readonly wrappingApproval?: ApprovalArg;
  };
  'key.unwrap': Approved & KeyCreationCommon & {
    readonly mechanism: WrapMechanism;
    readonly filter: KeyFilter;
    readonly keyTypeClass: KeyTypeClass;
    readonly label: string;
    readonly data: Uint8Array;
    readonly iv?: Uint8Array;
    readonly tagLengthBits?: number;
    readonly aad?: Uint8Array;
    readonly hashFunction?: HashName;
    readonly mgf?: HashName;
    readonly attributes?: AttributeInput;
  };
  'key.list': {
    readonly filter?: KeyFilter;
    readonly verbose?: boolean;
    readonly maxItems?: number;
    readonly startingToken?: string;
  };
  'crypto.encrypt': {
    readonly mechanism: CipherMechanism | KeyWrapCipherMechanism;
    readonly keyFilter: KeyFilter;
    readonly data: Uint8Array;
    readonly iv?: Uint8Array;
    readonly aad?: Uint8Array;
    readonly tagLengthBits?: number;
  };
  'crypto.decrypt': {
    readonly mechanism: CipherMechanism | KeyWrapCipherMechanism;
    readonly keyFilter: KeyFilter;
    readonly data: Uint8Array;
    /** Required except for aes-kw (default IV) and aes-kwp. */
    readonly iv?: Uint8Array;
    readonly aad?: Uint8Array;
    readonly tagLengthBits?: number;
  };
  'crypto.sign': Approved & {
    readonly mechanism: SignMechanism;
    readonly keyFilter: KeyFilter;
    readonly hashFunction: HashName;
    readonly data: Uint8Array;
    readonly dataType?: 'raw' | 'digest';
    readonly mgf?: HashName;
    readonly saltLength?: number;
  };
  'crypto.verify': {
    readonly mechanism: SignMechanism;
    readonly keyFilter: KeyFilter;
    readonly hashFunction: HashName;
    readonly data: Uint8Array;
    readonly signature: Uint8Array;
    readonly dataType?: 'raw' | 'digest';
    readonly mgf?: HashName;
    readonly saltLength?: number;
  };
  'crypto.mac-generate': Approved & { readonly keyFilter: KeyFilter; readonly hashFunction: HashName; readonly data: Uint8Array };
  'crypto.mac-verify': {
    readonly keyFilter: KeyFilter;
    readonly hashFunction: HashName;
    readonly data: Uint8Array;
    readonly mac: Uint8Array;
  };
  'crypto.digest': { readonly hashFunction: HashName; readonly data: Uint8Array };
  'audit.read': { readonly limit?: number };
  // quorum authentication and MFA (spec §4.4, §6, §7)
  /** One login challenge per HSM for an MFA user (answer `{ hsms: [{ hsm, unsigned }] }`). */
  'session.mfa-challenge': { readonly username: string; readonly role: CliRoleArg };
  'quorum.list-values': Record<string, never>;
  'quorum.list-timeouts': Record<string, never>;
  'quorum.token-list': Record<string, never>;
  /** Fresh random `approval_data` from one HSM, for `quorum.token-generate` on every HSM. */
  'quorum.draw-approval-data': Record<string, never>;
  'quorum.token-generate': { readonly service: TokenService; readonly approvalData: Uint8Array };
  /** Drop one of the caller's tokens (the client does this on every HSM after a token was used). */
  'quorum.token-discard': { readonly token: Uint8Array };
  'quorum.token-delete': { readonly scope: 'user' | 'all' };
  'quorum.set-value': Approved & { readonly service: QuorumService; readonly value: number };
  /** Seconds; at least one of the two. */
  'quorum.set-timeout': { readonly generated?: number; readonly approved?: number };
  /**
   * Register the caller's quorum key: SPKI DER of an RSA-2048 key and a signature over either a
   * registration token (`token`, cloudhsm-cli) or a file the user made (`signedData`, CMU
   * `registerQuorumPubKey`, signed with `openssl dgst -sha256 -sign`).
   */
  'user.register-quorum-key': {
    readonly publicKey: Uint8Array;
    readonly signature: Uint8Array;
    readonly token?: Uint8Array;
    readonly signedData?: Uint8Array;
  };
  /** One MFA registration challenge per HSM for `username` (answer `{ hsms: [{ hsm, unsigned }] }`). */
  'user.mfa-challenge': { readonly username: string; readonly role: CliRoleArg };
  /** Register (publicKey + signedTokens) or remove (deregister) a user's MFA key. */
  'user.change-mfa': Approved & {
    readonly username: string;
    readonly role: CliRoleArg;
    readonly publicKey?: Uint8Array;
    readonly signedTokens?: readonly SignedChallenge[];
    readonly deregister?: boolean;
    /** Also make the new key the user's quorum key (spec §7.1 `--change-quorum`). */
    readonly changeQuorum?: boolean;
    /** `--change-password`: set this new password in the same write (rules as user.change-password). */
    readonly password?: string;
    /** With `password`: the caller is CMU/KMU (legacy minimum length, spec §2.3). */
    readonly legacy?: boolean;
  };
}

/** Compile-time check that every op in the policy has its arguments described, and no more. */
type _EveryOpHasArgs = [Op] extends [keyof OpArgs] ? ([keyof OpArgs] extends [Op] ? true : never) : never;
export const _everyOpHasArgs: _EveryOpHasArgs = true;

export interface Request<O extends Op = Op> {
  readonly op: O;
  readonly session?: SessionId;
  readonly args: OpArgs[O];
}

export type AnyRequest = { [O in Op]: Request<O> }[Op];
