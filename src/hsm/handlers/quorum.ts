/**
 * Quorum authentication and MFA operations (spec §4.4, §6, §7): quorum values and timeouts,
 * token generation / listing / deletion, quorum key registration, MFA challenges and MFA
 * registration (with an optional new password). The approval check of protected operations is not here but in the quorum gate
 * of the pipeline (src/hsm/quorum/gate.ts); the login second factor is in ../quorum/mfa.ts.
 * @module
 */
import { equalBytes } from '../../crypto/bytes.ts';
import { digest } from '../../crypto/hash.ts';
import { hashPassword } from '../../crypto/password.ts';
import type { Handlers, RequestContext } from '../context.ts';
import { HsmError } from '../envelope.ts';
import { CLI_ROLE_NAME, ROLE_PHRASE } from '../policy.ts';
import { registeredApprovers } from '../quorum/approvals.ts';
import { checkSignedChallenges, issueChallenge, redeemChallenge, removeMfa } from '../quorum/mfa.ts';
import {
  isQuorumService,
  isTokenService,
  MAX_QUORUM_VALUE,
  MAX_TIMEOUT_SECONDS,
  MIN_QUORUM_VALUE,
  MIN_TIMEOUT_SECONDS,
  QUORUM_SERVICES,
  quorumOf,
  TOKEN_SERVICES,
  type QuorumToken,
  type TokenService,
} from '../quorum/quorum-state.ts';
import { dropQuorumOfMfaUser } from '../quorum/registration-effects.ts';
import { registeredKeyFromSpki, verifyTokenSignature } from '../quorum/signature.ts';
import { APPROVAL_DATA_LENGTH, consumeToken, expiresAt, findUsableToken, issueToken, liveTokens } from '../quorum/tokens.ts';
import type { UserRecord } from '../state.ts';
import { checkNewPassword, lookupName, parseRoleArg, roleMatches } from '../users-rules.ts';

/** Which role may generate a token for which service (spec §4.4). */
const TOKEN_SERVICE_ROLES: Readonly<Record<TokenService, readonly ('admin' | 'crypto-user')[]>> = {
  user: ['admin'],
  quorum: ['admin'],
  cluster: ['admin'],
  registration: ['admin', 'crypto-user'],
  'key-usage': ['crypto-user'],
  'key-management': ['crypto-user'],
};

function caller(ctx: RequestContext): NonNullable<RequestContext['session']> {
  if (!ctx.session) throw new HsmError('not-logged-in', 'Not logged in');
  return ctx.session;
}

function callerRecord(ctx: RequestContext): UserRecord {
  const session = caller(ctx);
  const user = ctx.findUser(session.username);
  if (!user) throw new HsmError('not-logged-in', 'Not logged in');
  return user;
}

/** The user named by `username` + `role`; a crypto user may only name themself. */
function mfaTarget(ctx: RequestContext, rawName: unknown, rawRole: unknown): UserRecord {
  const session = caller(ctx);
  const username = lookupName(rawName);
  const role = parseRoleArg(rawRole);
  const user = ctx.findUser(username);
  if (!user || !roleMatches(role, user.role)) throw new HsmError('user-not-found', `User not found: ${username} with role ${role}`);
  if (session.role !== 'admin' && user.username !== session.username) {
    throw new HsmError('permission-denied', "Permission denied: only an admin may change another user's MFA", ['admin']);
  }
  if (user.role !== 'admin' && user.role !== 'crypto-user') {
    throw new HsmError('bad-request', `MFA applies to admins and crypto users, not to the ${CLI_ROLE_NAME[user.role]} user ${user.username}`);
  }
  return user;
}

function requireBytes(v: unknown, name: string): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new HsmError('bad-request', `${name} must be bytes`);
  return v;
}

function optionalFlag(v: unknown, name: string): boolean {
  if (v !== undefined && typeof v !== 'boolean') throw new HsmError('bad-request', `${name} must be a boolean`);
  return v === true;
}

function optionalSeconds(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || (v as number) < MIN_TIMEOUT_SECONDS || (v as number) > MAX_TIMEOUT_SECONDS) {
    throw new HsmError('bad-request', `${name} must be a whole number of seconds from ${MIN_TIMEOUT_SECONDS} to ${MAX_TIMEOUT_SECONDS}, got ${JSON.stringify(v)}`);
  }
  return v as number;
}

/** The services listed by `list-quorum-values`: `cluster` only on hsm2m.medium (spec §4.4). */
function listedServices(ctx: RequestContext): readonly (typeof QUORUM_SERVICES)[number][] {
  return ctx.model === 'hsm2m.medium' ? QUORUM_SERVICES : QUORUM_SERVICES.filter((s) => s !== 'cluster');
}

/**
 * `approvals-required` of a token: the service's quorum value; for key services the highest
 * value of that service among the requester's keys ([SIM]: the key decides when the token is used).
 */
function approvalsRequired(ctx: RequestContext, token: QuorumToken): number {
  const q = quorumOf(ctx.state);
  if (isQuorumService(token.service)) return q.values[token.service];
  if (token.service === 'registration') return 1;
  const values = ctx.state.keys
    .filter((k) => k.owner === token.username || k.shared.includes(token.username))
    .map((k) => (token.service === 'key-usage' ? k.useKeyQuorumValue : k.manageKeyQuorumValue));
  return Math.max(1, ...values);
}

export const quorumHandlers = {
  'session.mfa-challenge': (ctx, args) => {
    const username = lookupName(args.username);
    parseRoleArg(args.role);
    // Issued whether or not the user exists or has MFA, so the answer tells nothing about the account.
    return issueChallenge(ctx, username, 'login');
  },

  'quorum.list-values': (ctx) => {
    const values = quorumOf(ctx.state).values;
    return Object.fromEntries(listedServices(ctx).map((s) => [s, values[s]]));
  },

  'quorum.list-timeouts': (ctx) => {
    const { generated, approved } = quorumOf(ctx.state).timeouts;
    return { generated, approved };
  },

  'quorum.token-list': (ctx) => {
    const now = ctx.clock();
    return {
      tokens: liveTokens(ctx, now).map((t) => ({
        username: t.username,
        service: t.service,
        'approvals-required': approvalsRequired(ctx, t),
        'number-of-approvals': t.approvers.length,
        'token-timeout-seconds': Math.max(0, Math.ceil((expiresAt(ctx.state, t) - now) / 1000)),
        'cluster-coverage': 'full',
      })),
    };
  },

  'quorum.draw-approval-data': (ctx) => ({ 'approval-data': ctx.random.bytes(APPROVAL_DATA_LENGTH) }),

  'quorum.token-generate': (ctx, args) => {
    const session = caller(ctx);
    if (!isTokenService(args.service)) {
      throw new HsmError('bad-request', `service must be one of ${TOKEN_SERVICES.join(', ')}, got ${JSON.stringify(args.service)}`);
    }
    const roles: readonly string[] = TOKEN_SERVICE_ROLES[args.service];
    if (!roles.includes(session.role)) {
      const who = roles.map((r) => ROLE_PHRASE[r as 'admin' | 'crypto-user']).join(' or ');
      throw new HsmError('permission-denied', `Permission denied: only ${who} may generate ${args.service} tokens`, roles as ('admin' | 'crypto-user')[]);
    }
    if (args.service === 'cluster' && ctx.model !== 'hsm2m.medium') {
      throw new HsmError('bad-request', 'The cluster service exists on hsm2m.medium HSMs only');
    }
    const record = issueToken(ctx, args.service, args.approvalData);
    return { service: record.service, 'approval-data': record.approvalData, token: record.token };
  },

  'quorum.token-discard': (ctx, args) => {
    const session = caller(ctx);
    const token = requireBytes(args.token, 'token');
    const record = quorumOf(ctx.state).tokens.find((t) => equalBytes(t.token, token) && t.username === session.username);
    if (record) consumeToken(ctx, record);
    return { discarded: record !== undefined };
  },

  'quorum.token-delete': (ctx, args) => {
    const session = caller(ctx);
    if (args.scope !== 'user' && args.scope !== 'all') throw new HsmError('bad-request', `scope must be user or all, got ${JSON.stringify(args.scope)}`);
    const q = quorumOf(ctx.state);
    const kept = args.scope === 'all' ? [] : q.tokens.filter((t) => t.username !== session.username);
    if (kept.length !== q.tokens.length) {
      q.tokens = kept;
      ctx.markChanged();
    }
    return 'Deletion of quorum token(s) successful';
  },

  'quorum.set-value': (ctx, args) => {
    if (!isQuorumService(args.service) || !listedServices(ctx).includes(args.service)) {
      throw new HsmError('bad-request', `service must be one of ${listedServices(ctx).join(', ')}, got ${JSON.stringify(args.service)}`);
    }
    const value = args.value;
    if (!Number.isInteger(value) || value < MIN_QUORUM_VALUE || value > MAX_QUORUM_VALUE) {
      throw new HsmError('invalid-quorum-value', `Invalid quorum value provided: the value must be ${MIN_QUORUM_VALUE} to ${MAX_QUORUM_VALUE}, got ${JSON.stringify(value)}`);
    }
    const registered = registeredApprovers(ctx, { kind: 'admins' });
    if (value > 1 && value > registered) {
      throw new HsmError(
        'invalid-quorum-value',
        `Invalid quorum value provided: ${value} approvals would be needed but only ${registered} admin(s) have registered a quorum key`,
      );
    }
    const q = quorumOf(ctx.state);
    if (q.values[args.service] !== value) {
      q.values = { ...q.values, [args.service]: value };
      ctx.markChanged();
    }
    return 'Set quorum value successful';
  },

  'quorum.set-timeout': (ctx, args) => {
    const generated = optionalSeconds(args.generated, 'generated');
    const approved = optionalSeconds(args.approved, 'approved');
    if (generated === undefined && approved === undefined) throw new HsmError('bad-request', 'Give --generated and/or --approved (timeouts in seconds)');
    const q = quorumOf(ctx.state);
    q.timeouts = { generated: generated ?? q.timeouts.generated, approved: approved ?? q.timeouts.approved };
    ctx.markChanged();
    return 'Set token timeout successful';
  },

  'user.register-quorum-key': (ctx, args) => {
    const user = callerRecord(ctx);
    const spki = requireBytes(args.publicKey, 'publicKey');
    const key = registeredKeyFromSpki(spki);
    const signature = requireBytes(args.signature, 'signature');
    if ((args.token === undefined) === (args.signedData === undefined)) throw new HsmError('bad-request', 'give either token (a registration token) or signedData (CMU), not both or neither');
    if (args.signedData !== undefined) {
      // CMU registerQuorumPubKey (spec §6.3): the signature is over a file of the user's own.
      const data = requireBytes(args.signedData, 'signedData');
      if (user.mfaPublicKey) throw new HsmError('bad-request', `${user.username} uses 2FA: rotate the key with changePswd -2fa instead of registerQuorumPubKey`);
      if (data.length === 0) throw new HsmError('bad-request', 'signedData must not be empty');
      if (!verifyTokenSignature(key, digest('sha256', data), signature)) {
        throw new HsmError('verification-failed', 'Invalid quorum token: the signature does not verify with the given public key');
      }
      user.quorumPublicKey = spki;
      ctx.markChanged();
      return { username: user.username, role: CLI_ROLE_NAME[user.role] };
    }
    let record: QuorumToken;
    try {
      record = findUsableToken(ctx, args.token, 'registration');
    } catch {
      throw new HsmError('bad-request', 'Invalid quorum token: no live registration token of yours has these bytes (generate one with --service registration)');
    }
    if (!verifyTokenSignature(key, record.token, signature)) {
      throw new HsmError('verification-failed', 'Invalid quorum token: the signature does not verify with the given public key');
    }
    user.quorumPublicKey = spki;
    consumeToken(ctx, record);
    ctx.markChanged();
    return { username: user.username, role: CLI_ROLE_NAME[user.role] };
  },

  'user.mfa-challenge': (ctx, args) => {
    const user = mfaTarget(ctx, args.username, args.role);
    return issueChallenge(ctx, user.username, 'change-mfa');
  },

  'user.change-mfa': async (ctx, args) => {
    const session = caller(ctx);
    const user = mfaTarget(ctx, args.username, args.role);
    const answer = { username: user.username, role: CLI_ROLE_NAME[user.role] };
    const deregister = optionalFlag(args.deregister, 'deregister');
    const changeQuorum = optionalFlag(args.changeQuorum, 'changeQuorum');
    if (deregister && (args.publicKey !== undefined || args.signedTokens !== undefined)) {
      throw new HsmError('bad-request', 'give either deregister or publicKey + signedTokens, not both');
    }
    // --change-password (spec §7.1): the rules of user change-password, checked before anything changes.
    const password = args.password === undefined ? undefined : checkNewPassword(args.password, ctx.state.settings, ctx.limits, args.legacy);
    const ownAccount = user.username === session.username;
    if (password !== undefined && !ownAccount && ctx.sessions.isLoggedIn(user.username)) {
      throw new HsmError('user-logged-in', `Cannot modify a logged in user: ${user.username}`);
    }
    let spki: Uint8Array | undefined;
    if (!deregister) {
      spki = requireBytes(args.publicKey, 'publicKey');
      registeredKeyFromSpki(spki);
      const signed = checkSignedChallenges(args.signedTokens, 'signedTokens');
      if (!redeemChallenge(ctx, user.username, 'change-mfa', signed, spki)) {
        throw new HsmError('verification-failed', "MFA token verification failed: this HSM's token must be signed with the private key of the public key given");
      }
    }
    let changed = false;
    if (password !== undefined) {
      user.password = await hashPassword(password, ctx.random, ctx.passwordCost);
      if (!ownAccount) user.failedLogins = 0; // an admin's reset unlocks, as with user change-password
      // The password changes first, so the rule for an MFA user's new password applies to the old key.
      dropQuorumOfMfaUser(user);
      changed = true;
    }
    if (spki === undefined) {
      changed = removeMfa(user) || changed;
    } else {
      user.mfaPublicKey = spki;
      // MFA and quorum share the key (spec §7.1): enabling MFA registers a non-quorum user for quorum too.
      if (!user.quorumPublicKey || changeQuorum) user.quorumPublicKey = spki;
      changed = true;
    }
    if (changed) ctx.markChanged();
    return answer;
  },
} satisfies Partial<Handlers>;
