/**
 * Object-level sync operations (spec §1.3, §2.2 footnotes 2 and 3): sync status (a digest per
 * object) and extracting / inserting masked objects. Inserting a key gives it a new handle (KMU
 * insertMaskedObject), except for the appliance user — the cluster's own resynchronisation — which
 * keeps the original handle and replaces an existing object with the same handle or username, so
 * key references agree across the HSMs of a cluster — but never a session key, which belongs to
 * one login session on one HSM.
 * @module
 */
import { equalBytes } from '../../crypto/bytes.ts';
import type { Handlers, RequestContext } from '../context.ts';
import { objectDigests } from '../digest.ts';
import { HsmError } from '../envelope.ts';
import { checkKeyLimits } from '../keys/creation.ts';
import { findOneKey } from '../keys/filter.ts';
import { formatKeyReference } from '../keys/key-json.ts';
import { deriveFromClusterKey, maskObject, unmaskObject } from '../masked.ts';
import type { KeyRecord, UserRecord } from '../state.ts';
import { lookupName } from '../users-rules.ts';

const USER_OBJECTS_WHO = 'Permission denied: only an admin or the appliance user may extract or insert users';

function caller(ctx: RequestContext): NonNullable<RequestContext['session']> {
  if (!ctx.session) throw new HsmError('not-logged-in', 'Not logged in');
  return ctx.session;
}

/** Admins and the appliance user see every key; crypto users their own, shared and public ones. */
function extractableKey(ctx: RequestContext, filter: unknown): KeyRecord {
  const session = caller(ctx);
  if (!Array.isArray(filter) || !filter.every((t) => typeof t === 'string')) {
    throw new HsmError('bad-request', 'filter must be a list of key-reference=… / attr.<name>=… terms');
  }
  const role = session.role === 'appliance-user' ? 'admin' : session.role;
  const key = findOneKey({ session: { ...session, role }, state: ctx.state }, filter);
  if (key.sessionId !== undefined) {
    throw new HsmError('key-not-permitted', `Key ${formatKeyReference(key.handle)} is a session key; session keys never leave their HSM`);
  }
  return key;
}

function insertKey(ctx: RequestContext, key: KeyRecord): { 'key-reference': string } {
  const session = caller(ctx);
  const isSync = session.role === 'appliance-user';
  for (const name of [key.owner, ...key.shared]) {
    const user = ctx.findUser(name);
    if (!user || user.role !== 'crypto-user') {
      throw new HsmError('user-not-found', `User not found: ${name} (the key's ${name === key.owner ? 'owner' : 'shared user'}) is not a crypto user on this HSM`);
    }
  }
  if (session.role === 'crypto-user' && key.owner !== session.username && !key.shared.includes(session.username)) {
    throw new HsmError('key-not-permitted', `Key ${formatKeyReference(key.handle)} is neither owned by nor shared with ${session.username}`);
  }
  const existing = isSync ? ctx.state.keys.findIndex((k) => k.handle === key.handle) : -1;
  if (existing >= 0 && ctx.state.keys[existing]!.sessionId !== undefined) {
    // A session key belongs to one login session on this HSM only: sync never touches it.
    throw new HsmError('key-not-permitted', `Key ${formatKeyReference(key.handle)} is a session key on this HSM; a masked object cannot replace it`);
  }
  if (existing < 0) checkKeyLimits(ctx, 1, key.attributes['class'] === 'secret-key' ? 0 : 1);
  if (isSync) {
    if (existing >= 0) ctx.state.keys[existing] = key;
    else ctx.state.keys.push(key);
    ctx.state.nextHandle = Math.max(ctx.state.nextHandle, key.handle + 1);
    ctx.markChanged();
    return { 'key-reference': formatKeyReference(key.handle) };
  }
  const inserted: KeyRecord = { ...key, handle: ctx.allocateHandle() };
  ctx.state.keys.push(inserted);
  ctx.markChanged();
  return { 'key-reference': formatKeyReference(inserted.handle) };
}

function insertUser(ctx: RequestContext, user: UserRecord): { username: string } {
  const session = caller(ctx);
  const isSync = session.role === 'appliance-user';
  if (!isSync && (user.role === 'appliance-user' || user.role === 'unactivated-admin')) {
    throw new HsmError('bad-request', `The ${user.role} account ${user.username} cannot be inserted by a customer`);
  }
  const existing = ctx.findUser(user.username);
  if (existing && !isSync) throw new HsmError('user-exists', `User already exists: ${user.username}`);
  if (!existing && ctx.state.users.length >= ctx.limits.maxUsers) {
    throw new HsmError('limit-reached', `User limit reached: a ${ctx.model} cluster holds at most ${ctx.limits.maxUsers} users`);
  }
  if (existing) {
    // Replace, keeping this HSM's id and failure counter (the counter is per HSM) — unless the
    // password changed: the failures counted against the old password, and an admin's password
    // reset must unlock the user on every HSM, not only on the one that ran it (spec §2.3).
    const passwordChanged = !equalBytes(existing.password.salt, user.password.salt) || !equalBytes(existing.password.hash, user.password.hash);
    const replaced: UserRecord = { ...user, id: existing.id, failedLogins: passwordChanged ? 0 : existing.failedLogins };
    ctx.state.users = ctx.state.users.map((u) => (u === existing ? replaced : u));
  } else {
    const idFree = isSync && !ctx.state.users.some((u) => u.id === user.id);
    const id = idFree ? user.id : ctx.state.nextUserId;
    ctx.state.users.push({ ...user, id, failedLogins: 0 });
    ctx.state.nextUserId = Math.max(ctx.state.nextUserId, id + 1);
  }
  ctx.markChanged();
  return { username: user.username };
}

function mayHandleUsers(ctx: RequestContext): void {
  const role = caller(ctx).role;
  if (role !== 'admin' && role !== 'appliance-user') throw new HsmError('permission-denied', USER_OBJECTS_WHO, ['admin', 'appliance-user']);
}

export const objectHandlers = {
  'hsm.sync-status': (ctx) => ({ objects: objectDigests(ctx.state, deriveFromClusterKey(ctx.state, 'hsm-playground sync status v1')) }),

  'object.extract-masked': (ctx, args) => {
    const hasFilter = args.filter !== undefined;
    const hasUser = args.username !== undefined;
    if (hasFilter === hasUser) throw new HsmError('bad-request', 'give either filter (a key) or username (a user), not both or neither');
    if (hasUser) {
      mayHandleUsers(ctx);
      const name = lookupName(args.username);
      const user = ctx.findUser(name);
      if (!user) throw new HsmError('user-not-found', `User not found: ${name}`);
      return { 'masked-object': maskObject(ctx.state, { kind: 'user', user }, ctx.random) };
    }
    const key = extractableKey(ctx, args.filter);
    return { 'masked-object': maskObject(ctx.state, { kind: 'key', key }, ctx.random) };
  },

  'object.insert-masked': (ctx, args) => {
    const object = unmaskObject(ctx.state, args.blob);
    if (object.kind === 'key') return insertKey(ctx, object.key);
    mayHandleUsers(ctx);
    return insertUser(ctx, object.user);
  },
} satisfies Partial<Handlers>;
