/**
 * Digests over HSM state. {@link stateDigest} covers everything a request could change that
 * matters — users, keys, attributes, settings, activation — and leaves out the audit log and
 * per-HSM failed-login counters; tests use it to prove a refused request changed nothing.
 * {@link objectDigests} is the per-object set behind `hsm.sync-status` (spec §1.3): keyed HMACs so
 * two HSMs holding the same object give the same digest and nothing about the object leaks.
 * @module
 */
import { toHex, utf8 } from '../crypto/bytes.ts';
import { digest } from '../crypto/hash.ts';
import { hmac } from '../crypto/hmac.ts';
import { quorumFacts } from './quorum/quorum-state.ts';
import type { HsmState, KeyRecord, UserRecord } from './state.ts';

/**
 * A canonical text for a value: JSON with object keys sorted, Uint8Array as `"hex:…"` and
 * undefined members dropped, so equal values always give equal text.
 */
export function canonicalJson(value: unknown): string {
  if (value instanceof Uint8Array) return JSON.stringify(`hex:${toHex(value)}`);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A user as compared across HSMs and across refused requests: no per-HSM failure counter. */
function userFacts(user: UserRecord, withId: boolean): Record<string, unknown> {
  return {
    id: withId ? user.id : undefined,
    username: user.username,
    role: user.role,
    password: user.password,
    quorumPublicKey: user.quorumPublicKey,
    mfaPublicKey: user.mfaPublicKey,
  };
}

function keyFacts(key: KeyRecord): Record<string, unknown> {
  return {
    handle: key.handle,
    owner: key.owner,
    shared: [...key.shared].sort(),
    manageKeyQuorumValue: key.manageKeyQuorumValue,
    useKeyQuorumValue: key.useKeyQuorumValue,
    attributes: key.attributes,
    material: key.material,
  };
}

/** SHA-256 (hex) of the state that matters; see the module comment for what is left out. */
export function stateDigest(state: HsmState): string {
  const facts = {
    clusterId: state.clusterId,
    activated: state.activated,
    settings: state.settings,
    users: state.users.map((u) => userFacts(u, true)),
    keys: state.keys.map((k) => ({ ...keyFacts(k), sessionId: k.sessionId })),
    quorum: quorumFacts(state),
  };
  return toHex(digest('sha256', utf8(canonicalJson(facts))));
}

/** The sync-status name of the quorum settings (values and timeouts, spec §6.1). */
export const QUORUM_OBJECT_NAME = 'quorum:settings';

/** `key:0x` + 16 hex digits, the name of a key in sync status. */
export function keyObjectName(handle: number): string {
  return `key:0x${handle.toString(16).padStart(16, '0')}`;
}

/**
 * HMAC-SHA256 (hex) of every token key, every user and the quorum settings under `digestKey`
 * (derived from the cluster key), keyed by `key:0x…` / `user:<name>` / `quorum:settings`; keys
 * first by handle, then users by id, then the quorum settings (only when not the defaults).
 * Session keys are left out: they never sync.
 */
export function objectDigests(state: HsmState, digestKey: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const mac = (facts: unknown): string => toHex(hmac('sha256', digestKey, utf8(canonicalJson(facts))));
  for (const key of [...state.keys].sort((a, b) => a.handle - b.handle)) {
    if (key.sessionId === undefined) out[keyObjectName(key.handle)] = mac(keyFacts(key));
  }
  for (const user of [...state.users].sort((a, b) => a.id - b.id)) out[`user:${user.username}`] = mac(userFacts(user, false));
  // Quorum values and timeouts are cluster-wide settings: once changed from the defaults they are
  // listed, so an HSM that missed a change shows as different (or missing) here.
  const quorum = quorumFacts(state);
  if (canonicalJson(quorum) !== canonicalJson(quorumFacts({ ...state, quorum: undefined }))) out[QUORUM_OBJECT_NAME] = mac(quorum);
  return out;
}
