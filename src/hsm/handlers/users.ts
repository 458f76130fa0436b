/**
 * User management (spec §2.3, §4.3): list, create, delete, change a password (an admin for
 * anyone, everyone for themselves). Changing the unactivated admin's own password is activation
 * (spec §1.2). Every rule is checked before anything changes.
 * @module
 */
import { hashPassword } from '../../crypto/password.ts';
import type { Handlers, RequestContext } from '../context.ts';
import { HsmError } from '../envelope.ts';
import { CLI_ROLE_NAME, whoMay } from '../policy.ts';
import type { UserRecord } from '../state.ts';
import {
  APPLIANCE_USERNAME,
  checkNewPassword,
  lookupName,
  normaliseUsername,
  parseRoleArg,
  roleForNewUser,
  roleMatches,
} from '../users-rules.ts';
import { isLocked } from './session.ts';

/** One element of `user list` (spec §4.3), exactly. */
export function userListEntry(ctx: RequestContext, user: UserRecord): Record<string, unknown> {
  return {
    username: user.username,
    role: CLI_ROLE_NAME[user.role],
    locked: isLocked(ctx, user) ? 'true' : 'false',
    mfa: user.mfaPublicKey ? [{ strategy: 'token-sign', status: 'enabled' }] : [],
    quorum: user.quorumPublicKey ? [{ strategy: 'token-sign', status: 'enabled' }] : [],
    'cluster-coverage': 'full',
  };
}

/** The user named by `username` + `role` arguments, or 'user-not-found'. */
function targetUser(ctx: RequestContext, rawName: unknown, rawRole: unknown): UserRecord {
  const username = lookupName(rawName);
  const role = parseRoleArg(rawRole);
  const user = ctx.findUser(username);
  if (!user || !roleMatches(role, user.role)) throw new HsmError('user-not-found', `User not found: ${username} with role ${role}`);
  return user;
}

function answer(user: UserRecord): { username: string; role: string } {
  return { username: user.username, role: CLI_ROLE_NAME[user.role] };
}

export const userHandlers = {
  'user.list': (ctx, args) => {
    const withIds = (args as { withIds?: unknown } | undefined)?.withIds;
    if (withIds !== undefined && typeof withIds !== 'boolean') throw new HsmError('bad-request', 'withIds must be a boolean');
    const ordered = [...ctx.state.users].sort((a, b) => {
      const aLast = a.username === APPLIANCE_USERNAME ? 1 : 0;
      const bLast = b.username === APPLIANCE_USERNAME ? 1 : 0;
      return aLast - bLast || a.id - b.id;
    });
    // The default answer is exactly cloudhsm-cli's; CMU/KMU ask for their "User Id" too.
    return { users: ordered.map((u) => (withIds === true ? { 'user-id': u.id, ...userListEntry(ctx, u) } : userListEntry(ctx, u))) };
  },

  'user.create': async (ctx, args) => {
    const { settings } = ctx.state;
    const username = normaliseUsername(args.username, settings, ctx.limits);
    const role = roleForNewUser(parseRoleArg(args.role));
    const password = checkNewPassword(args.password, settings, ctx.limits, args.legacy);
    if (ctx.findUser(username)) throw new HsmError('user-exists', `User already exists: ${username}`);
    if (ctx.state.users.length >= ctx.limits.maxUsers) {
      throw new HsmError('limit-reached', `User limit reached: a ${ctx.model} cluster holds at most ${ctx.limits.maxUsers} users`);
    }
    const hash = await hashPassword(password, ctx.random, ctx.passwordCost);
    const user: UserRecord = { id: ctx.state.nextUserId, username, role, password: hash, failedLogins: 0 };
    ctx.state.nextUserId += 1;
    ctx.state.users.push(user);
    ctx.markChanged();
    return answer(user);
  },

  'user.delete': (ctx, args) => {
    const user = targetUser(ctx, args.username, args.role);
    if (user.role === 'appliance-user' || user.role === 'unactivated-admin') {
      throw new HsmError('bad-request', `The ${CLI_ROLE_NAME[user.role]} user ${user.username} cannot be deleted`);
    }
    if (ctx.sessions.isLoggedIn(user.username)) throw new HsmError('user-logged-in', `Cannot modify a logged in user: ${user.username}`);
    const owned = ctx.state.keys.filter((k) => k.owner === user.username).length;
    if (owned > 0) throw new HsmError('user-owns-keys', `Cannot delete a user who owns keys: ${user.username} owns ${owned}`);
    ctx.state.users = ctx.state.users.filter((u) => u !== user);
    for (const key of ctx.state.keys) {
      if (key.shared.includes(user.username)) key.shared = key.shared.filter((name) => name !== user.username);
    }
    ctx.markChanged();
    return answer(user);
  },

  'user.change-password': async (ctx, args) => {
    const user = targetUser(ctx, args.username, args.role);
    const password = checkNewPassword(args.password, ctx.state.settings, ctx.limits, args.legacy);
    if (ctx.sessions.isLoggedIn(user.username, ctx.session?.id)) {
      throw new HsmError('user-logged-in', `Cannot modify a logged in user: ${user.username}`);
    }
    const hash = await hashPassword(password, ctx.random, ctx.passwordCost);
    user.password = hash;
    user.failedLogins = 0; // an admin's reset unlocks (spec §2.3)
    ctx.markChanged();
    return answer(user);
  },

  'user.change-own-password': async (ctx, args) => {
    const session = ctx.session;
    if (!session) throw new HsmError('not-logged-in', 'Not logged in');
    const user = targetUser(ctx, args.username, args.role);
    if (user.username !== session.username) {
      throw new HsmError('permission-denied', `Permission denied: ${whoMay('user.change-password')}`, ['admin']);
    }
    const password = checkNewPassword(args.password, ctx.state.settings, ctx.limits, args.legacy);
    const hash = await hashPassword(password, ctx.random, ctx.passwordCost);
    user.password = hash;
    if (user.role === 'unactivated-admin') {
      // CMU `changePswd PRECO admin <new>`: the unactivated admin's first password change activates.
      user.role = 'admin';
      ctx.state.activated = true;
    }
    ctx.markChanged();
    return answer(user);
  },
} satisfies Partial<Handlers>;
