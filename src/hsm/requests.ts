/**
 * The request shape `{ op, session, args }` and the arguments of every operation.
 * This is the contract between the command tables (src/cli), the cluster client (src/cluster)
 * and the HSM (src/hsm). Binary values travel as Uint8Array; hex strings keep their `0x` prefix
 * only where the CLI prints them so.
 * @module
 */
import type { Op } from './policy.ts';
import type { HashName } from '../crypto/hash.ts';

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
export type KeyTypeClass = 'aes' | 'generic-secret' | 'ec-private' | 'rsa-private' | 'ec-public' | 'rsa-public';

interface KeyCreationCommon {
  readonly session?: boolean;
  readonly shareCryptoUsers?: readonly string[];
  readonly manageKeyQuorumValue?: number;
  readonly useKeyQuorumValue?: number;
}

export interface OpArgs {
  'hsm.info': Record<string, never>;
  'cluster.activate': { readonly password: string };
  'session.login': { readonly username: string; readonly role: CliRoleArg; readonly password: string };
  'session.logout': Record<string, never>;
  'user.list': Record<string, never>;
  'user.change-own-password': { readonly username: string; readonly role: CliRoleArg; readonly password: string };
  'user.change-password': { readonly username: string; readonly role: CliRoleArg; readonly password: string };
  'user.create': { readonly username: string; readonly role: CliRoleArg; readonly password: string };
  'user.delete': { readonly username: string; readonly role: CliRoleArg };
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
  'key.delete': { readonly filter: KeyFilter };
  'key.share': { readonly filter: KeyFilter; readonly username: string; readonly role: CliRoleArg };
  'key.unshare': { readonly filter: KeyFilter; readonly username: string; readonly role: CliRoleArg };
  'key.set-attribute': { readonly filter: KeyFilter; readonly name: string; readonly value: string };
  'key.set-trusted': { readonly filter: KeyFilter; readonly value: string };
  'key.wrap': {
    readonly mechanism: WrapMechanism;
    readonly payloadFilter: KeyFilter;
    readonly wrappingFilter: KeyFilter;
    readonly tagLengthBits?: number;
    readonly aad?: Uint8Array;
    readonly hashFunction?: HashName;
    readonly mgf?: HashName;
  };
  'key.unwrap': KeyCreationCommon & {
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
    readonly mechanism: CipherMechanism;
    readonly keyFilter: KeyFilter;
    readonly data: Uint8Array;
    readonly iv?: Uint8Array;
    readonly aad?: Uint8Array;
    readonly tagLengthBits?: number;
  };
  'crypto.decrypt': {
    readonly mechanism: CipherMechanism;
    readonly keyFilter: KeyFilter;
    readonly data: Uint8Array;
    readonly iv: Uint8Array;
    readonly aad?: Uint8Array;
    readonly tagLengthBits?: number;
  };
  'crypto.sign': {
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
  'crypto.mac-generate': { readonly keyFilter: KeyFilter; readonly hashFunction: HashName; readonly data: Uint8Array };
  'crypto.mac-verify': {
    readonly keyFilter: KeyFilter;
    readonly hashFunction: HashName;
    readonly data: Uint8Array;
    readonly mac: Uint8Array;
  };
  'crypto.digest': { readonly hashFunction: HashName; readonly data: Uint8Array };
  'audit.read': { readonly limit?: number };
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
