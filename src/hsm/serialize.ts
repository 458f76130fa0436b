/**
 * HSM state ⇄ bytes, for Storage snapshots and as the plaintext of backups and masked objects.
 * The encoding is UTF-8 JSON in which every Uint8Array becomes `{"$b64":"…"}`, wrapped in
 * `{"format":"hsm-playground/hsm-state","version":1,"state":…}`. Decoding checks the wrapper and
 * the shape of the state and names what is wrong, so a corrupt snapshot gives a clear error.
 * @module
 */
import { fromBase64, fromUtf8, toBase64, utf8 } from '../crypto/bytes.ts';
import { ROLES } from './policy.ts';
import type { HsmState, KeyRecord, UserRecord } from './state.ts';
import { isHsmModel } from './limits.ts';
import { quorumStateProblem } from './quorum/quorum-state.ts';

export const STATE_FORMAT = 'hsm-playground/hsm-state';
export const STATE_FORMAT_VERSION = 1;

/** A snapshot (or a payload inside a backup / masked object) that cannot be read. */
export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

/** JSON text of any value, with Uint8Array as `{"$b64": …}`. */
export function toTaggedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? { $b64: toBase64(v) } : v));
}

/** Inverse of {@link toTaggedJson}. Throws SyntaxError on bad JSON. */
export function fromTaggedJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const b64 = (v as { $b64?: unknown }).$b64;
      if (keys.length === 1 && typeof b64 === 'string') return fromBase64(b64);
    }
    return v;
  });
}

export function encodeState(state: HsmState): Uint8Array {
  return utf8(toTaggedJson({ format: STATE_FORMAT, version: STATE_FORMAT_VERSION, state }));
}

export function decodeState(bytes: Uint8Array): HsmState {
  let parsed: unknown;
  try {
    parsed = fromTaggedJson(fromUtf8(bytes));
  } catch (e) {
    throw new SnapshotError(`HSM snapshot is not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(parsed) || parsed['format'] !== STATE_FORMAT) {
    throw new SnapshotError(`HSM snapshot has no "format": "${STATE_FORMAT}" header`);
  }
  if (parsed['version'] !== STATE_FORMAT_VERSION) {
    throw new SnapshotError(
      `HSM snapshot format version ${JSON.stringify(parsed['version'])} is not supported (expected ${STATE_FORMAT_VERSION})`,
    );
  }
  return checkState(parsed['state']);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function need(cond: boolean, what: string): void {
  if (!cond) throw new SnapshotError(`HSM snapshot is corrupt: ${what}`);
}

/** Checks the shape of a decoded state (not its meaning) and returns it typed. */
export function checkState(s: unknown): HsmState {
  need(isObject(s), 'state is not an object');
  const st = s as Record<string, unknown>;
  need(st['formatVersion'] === 1, 'state.formatVersion is not 1');
  const id = st['identity'];
  need(isObject(id), 'state.identity is not an object');
  const ident = id as Record<string, unknown>;
  need(Number.isInteger(ident['index']), 'identity.index is not an integer');
  for (const f of ['ip', 'serialNumber', 'deviceId']) need(typeof ident[f] === 'string', `identity.${f} is not a string`);
  need(isHsmModel(ident['model']), 'identity.model is not a known HSM model');
  need(typeof st['clusterId'] === 'string', 'clusterId is not a string');
  need(st['clusterKey'] instanceof Uint8Array && st['clusterKey'].length === 32, 'clusterKey is not 32 bytes');
  need(typeof st['activated'] === 'boolean', 'activated is not a boolean');
  need(isObject(st['settings']), 'settings is not an object');
  need(Array.isArray(st['users']), 'users is not an array');
  (st['users'] as unknown[]).forEach((u, i) => checkUser(u, `users[${i}]`));
  need(Array.isArray(st['keys']), 'keys is not an array');
  (st['keys'] as unknown[]).forEach((k, i) => checkKey(k, `keys[${i}]`));
  need(Number.isInteger(st['nextUserId']), 'nextUserId is not an integer');
  need(Number.isInteger(st['nextHandle']), 'nextHandle is not an integer');
  need(Array.isArray(st['audit']), 'audit is not an array');
  const quorumProblem = quorumStateProblem(st['quorum']);
  need(quorumProblem === undefined, quorumProblem ?? '');
  return s as HsmState;
}

/** Checks the shape of one user record. */
export function checkUser(u: unknown, where: string): UserRecord {
  need(isObject(u), `${where} is not an object`);
  const r = u as Record<string, unknown>;
  need(Number.isInteger(r['id']), `${where}.id is not an integer`);
  need(typeof r['username'] === 'string' && r['username'] !== '', `${where}.username is not a non-empty string`);
  need((ROLES as readonly unknown[]).includes(r['role']) && r['role'] !== 'unauthenticated', `${where}.role is not a user role`);
  need(Number.isInteger(r['failedLogins']), `${where}.failedLogins is not an integer`);
  const p = r['password'];
  need(isObject(p), `${where}.password is not an object`);
  const pw = p as Record<string, unknown>;
  need(typeof pw['algorithm'] === 'string', `${where}.password.algorithm is not a string`);
  need(isObject(pw['params']), `${where}.password.params is not an object`);
  need(pw['salt'] instanceof Uint8Array && pw['hash'] instanceof Uint8Array, `${where}.password salt/hash are not bytes`);
  return u as UserRecord;
}

/** Checks the shape of one key record. */
export function checkKey(k: unknown, where: string): KeyRecord {
  need(isObject(k), `${where} is not an object`);
  const r = k as Record<string, unknown>;
  need(Number.isInteger(r['handle']) && (r['handle'] as number) > 0, `${where}.handle is not a positive integer`);
  need(typeof r['owner'] === 'string', `${where}.owner is not a string`);
  need(Array.isArray(r['shared']) && (r['shared'] as unknown[]).every((x) => typeof x === 'string'), `${where}.shared is not a list of usernames`);
  need(Number.isInteger(r['manageKeyQuorumValue']) && Number.isInteger(r['useKeyQuorumValue']), `${where} quorum values are not integers`);
  need(isObject(r['attributes']), `${where}.attributes is not an object`);
  need(r['material'] instanceof Uint8Array, `${where}.material is not bytes`);
  need(r['sessionId'] === undefined || typeof r['sessionId'] === 'string', `${where}.sessionId is not a string`);
  return k as KeyRecord;
}
