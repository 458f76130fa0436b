/**
 * The rules every new key obeys, whatever made it (generate, import, unwrap): users it is shared
 * with at creation must be existing crypto users, key quorum values must fit the associated users
 * (spec §4.5), the model's key limits (spec §2.4) must leave room, and a session key belongs to
 * the caller's session. Validation functions throw before anything changes; {@link insertKeys}
 * is the single commit step.
 * @module
 */
import { HsmError } from '../envelope.ts';
import type { RequestContext } from '../context.ts';
import type { KeyAttributes, KeyRecord } from '../state.ts';

/** Key quorum values: 0–8 (spec §2.4). */
export const MAX_KEY_QUORUM_VALUE = 8;

/** The logged-in crypto user, or a refusal (handlers run only after the policy check, so this is a guard). */
export function callerName(ctx: Pick<RequestContext, 'session'>): string {
  const s = ctx.session;
  if (!s) throw new HsmError('not-logged-in', 'Not logged in');
  return s.username;
}

/**
 * Validate `--share-crypto-users` (or the target of `key share`): each name must be an existing
 * crypto user other than the owner. Returns lower-case names, without duplicates, in given order.
 */
export function checkShareTargets(
  ctx: Pick<RequestContext, 'findUser'>,
  owner: string,
  usernames: readonly string[] | undefined,
): string[] {
  const out: string[] = [];
  for (const raw of usernames ?? []) {
    const user = ctx.findUser(raw);
    if (!user) throw new HsmError('user-not-found', `User not found: ${raw}`);
    if (user.role !== 'crypto-user') {
      throw new HsmError('bad-request', `Keys can only be shared with crypto users; ${user.username} is not a crypto user`);
    }
    if (user.username === owner) throw new HsmError('bad-request', `${user.username} owns the key; a key cannot be shared with its owner`);
    if (!out.includes(user.username)) out.push(user.username);
  }
  return out;
}

/** Validate key quorum values against the number of users associated with the key (owner + shared). */
export function checkQuorumValues(
  manage: number | undefined,
  use: number | undefined,
  sharedCount: number,
): { manageKeyQuorumValue: number; useKeyQuorumValue: number } {
  const associated = 1 + sharedCount;
  for (const v of [manage ?? 0, use ?? 0]) {
    if (!Number.isInteger(v) || v < 0 || v > MAX_KEY_QUORUM_VALUE || v > associated) {
      throw new HsmError('invalid-quorum-value', 'Invalid quorum value provided.');
    }
  }
  return { manageKeyQuorumValue: manage ?? 0, useKeyQuorumValue: use ?? 0 };
}

/** Refuse when adding `count` keys (of which `asymmetric` are pair halves) would pass the model's limits. */
export function checkKeyLimits(ctx: Pick<RequestContext, 'state' | 'limits'>, count: number, asymmetric: number): void {
  const keys = ctx.state.keys;
  if (keys.length + count > ctx.limits.maxKeys) {
    throw new HsmError('limit-reached', `Key limit reached: this HSM holds at most ${ctx.limits.maxKeys} keys`);
  }
  if (asymmetric > 0) {
    const held = keys.filter((k) => k.attributes.class !== 'secret-key').length;
    if (held + asymmetric > ctx.limits.maxAsymmetricKeys) {
      throw new HsmError(
        'limit-reached',
        `Key limit reached: this HSM holds at most ${ctx.limits.maxAsymmetricKeys} asymmetric keys`,
      );
    }
  }
}

/** A validated key waiting for its handle. */
export interface KeyDraft {
  readonly owner: string;
  readonly shared: readonly string[];
  readonly manageKeyQuorumValue: number;
  readonly useKeyQuorumValue: number;
  readonly attributes: KeyAttributes;
  readonly material: Uint8Array;
  /** The caller's session id for session keys (token=false). */
  readonly sessionId?: string;
}

/** Commit: give each draft a fresh handle, store it, mark the state changed. Call only after every check passed. */
export function insertKeys(ctx: Pick<RequestContext, 'state' | 'allocateHandle' | 'markChanged'>, drafts: readonly KeyDraft[]): KeyRecord[] {
  const records = drafts.map((d): KeyRecord => {
    const record: KeyRecord = {
      handle: ctx.allocateHandle(),
      owner: d.owner,
      shared: [...d.shared],
      manageKeyQuorumValue: d.manageKeyQuorumValue,
      useKeyQuorumValue: d.useKeyQuorumValue,
      attributes: d.attributes,
      material: d.material,
    };
    if (d.sessionId !== undefined) record.sessionId = d.sessionId;
    return record;
  });
  ctx.state.keys.push(...records);
  ctx.markChanged();
  return records;
}
