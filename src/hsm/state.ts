/**
 * The whole persistent state of one HSM, as plain data: what a snapshot, a backup and the state
 * digest are made of. Handlers receive it through the request context; nothing else holds it.
 * @module
 */
import type { Role } from './policy.ts';
import type { QuorumState } from './quorum/quorum-state.ts';

export type HsmModel = 'hsm2m.medium' | 'hsm1.medium';

/** The [SIM] choices the docs leave open (spec §2.3, §1.3, §11), with the spec's defaults. */
export interface HsmSettings {
  /** Accept `-` in usernames (spec §2.3: off by default). */
  readonly allowHyphenInUsernames: boolean;
  /** Minimum password length for cloudhsm-cli (8) — CMU/KMU use {@link minPasswordLengthLegacy}. */
  readonly minPasswordLength: number;
  readonly minPasswordLengthLegacy: number;
  /** Spec §1.3 key availability check; disabled by default so 1-HSM clusters work. */
  readonly keyAvailabilityCheck: boolean;
  /** Failed logins (per HSM) after which a user is locked (spec §2.3 [SIM]: 5). */
  readonly maxFailedLogins: number;
}

export const DEFAULT_SETTINGS: HsmSettings = {
  allowHyphenInUsernames: false,
  minPasswordLength: 8,
  minPasswordLengthLegacy: 7,
  keyAvailabilityCheck: false,
  maxFailedLogins: 5,
};

/** A stored password: never the password itself. */
export interface PasswordRecord {
  readonly algorithm: string;
  readonly params: Readonly<Record<string, number>>;
  readonly salt: Uint8Array;
  readonly hash: Uint8Array;
}

export interface UserRecord {
  /** Stable internal id (CMU "User ID"): admin 1, app_user 2, then increasing. */
  readonly id: number;
  /** Lower case (spec §2.3). */
  readonly username: string;
  role: Role;
  password: PasswordRecord;
  failedLogins: number;
  /** Registered RSA-2048 keys (SubjectPublicKeyInfo DER) for quorum approvals and MFA token-sign (src/hsm/quorum). */
  quorumPublicKey?: Uint8Array;
  mfaPublicKey?: Uint8Array;
}

/** Attribute values of a key, by their cloudhsm-cli names (spec §3.4, §5.1). */
export type KeyAttributes = Record<string, string | number | boolean>;

export interface KeyRecord {
  /** The numeric handle; printed as `0x` + 16 hex digits by cloudhsm-cli, as an integer by KMU. */
  readonly handle: number;
  /** Owner's username (the CU who created, imported or unwrapped it). */
  owner: string;
  /** Usernames of crypto users the key is shared with. */
  shared: string[];
  manageKeyQuorumValue: number;
  useKeyQuorumValue: number;
  /** Every attribute of spec §5.1 for this key type, in documentation order. */
  attributes: KeyAttributes;
  /**
   * The secret: raw bytes for AES / generic-secret, the private scalar for EC, a PKCS#8 DER for
   * RSA private keys; the public point / SPKI DER for public keys. Never leaves the HSM in clear
   * except through an explicit export of an extractable key.
   */
  material: Uint8Array;
  /** Session keys belong to one login session and vanish with it. */
  sessionId?: string;
}

export interface HsmIdentity {
  readonly index: number;
  readonly ip: string;
  readonly serialNumber: string;
  readonly deviceId: string;
  readonly model: HsmModel;
}

export interface AuditEntry {
  readonly time: number;
  readonly hsm: number;
  readonly user: string;
  readonly role: Role;
  readonly op: string;
  readonly result: 'ok' | 'refused';
  readonly detail: string;
}

export interface HsmState {
  readonly formatVersion: 1;
  identity: HsmIdentity;
  /** Shared by the HSMs of one cluster and its clones; never leaves an HSM in clear. */
  clusterId: string;
  clusterKey: Uint8Array;
  activated: boolean;
  settings: HsmSettings;
  users: UserRecord[];
  nextUserId: number;
  keys: KeyRecord[];
  nextHandle: number;
  audit: AuditEntry[];
  /** Quorum values, token timeouts, live tokens and MFA challenges (src/hsm/quorum); absent = the defaults. */
  quorum?: QuorumState;
}
