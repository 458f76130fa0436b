/**
 * The life of a quorum token on one HSM (spec §6.1, §4.4): generated inside a login session for a
 * service, found again by its bytes, expiring after the `generated` timeout (or, once it has been
 * presented with enough approvals, after the `approved` timeout), dying with its session, consumed
 * by the first operation it lets through. [SIM] A registration token belongs to its user rather
 * than to the session: it only proves that the user holds the private key being registered.
 *
 * At most 1024 are stored (spec §2.4). Before a token is stored, the tokens that can never be used
 * again (expired, or their session ended) are purged, so a full store always makes room from
 * expired tokens; only when all 1024 are live is a new token refused. For the `user` and
 * `quorum` services a user has one active token: a new one replaces the previous one.
 * @module
 */
import { equalBytes } from '../../crypto/bytes.ts';
import { digest } from '../../crypto/hash.ts';
import type { RequestContext } from '../context.ts';
import { HsmError } from '../envelope.ts';
import type { HsmState } from '../state.ts';
import { MAX_STORED_TOKENS, quorumOf, type QuorumToken, type TokenService } from './quorum-state.ts';

/** `approval_data` is random data of at most 245 bytes (spec §6.1); we draw 64 ([SIM]). */
export const APPROVAL_DATA_LENGTH = 64;
export const MIN_APPROVAL_DATA_LENGTH = 16;
export const MAX_APPROVAL_DATA_LENGTH = 245;

/**
 * Services limited to one active token per user (spec §6.1: `user` and `quorum`; not key services).
 * A new token for such a service replaces the user's previous one, which stops being usable.
 */
export const ONE_TOKEN_PER_USER: readonly TokenService[] = ['user', 'quorum'];

/** When `token` stops being usable (ms, HSM clock). */
export function expiresAt(state: HsmState, token: QuorumToken): number {
  const { generated, approved } = quorumOf(state).timeouts;
  return token.approvedAt !== undefined ? token.approvedAt + approved * 1000 : token.createdAt + generated * 1000;
}

export function isExpired(state: HsmState, token: QuorumToken, now: number): boolean {
  return now > expiresAt(state, token);
}

/** Can the token still be used by its owner: its session is open (registration tokens: its user exists)? */
export function isOwnerPresent(ctx: Pick<RequestContext, 'state' | 'sessions'>, token: QuorumToken): boolean {
  if (token.service === 'registration') return ctx.state.users.some((u) => u.username === token.username);
  return ctx.sessions.usernameOf(token.sessionId) === token.username;
}

/** Does `token` belong to the caller? Operation tokens: same session; registration tokens: same user. */
function belongsTo(token: QuorumToken, session: { readonly id: string; readonly username: string }): boolean {
  return token.service === 'registration' ? token.username === session.username : token.sessionId === session.id;
}

/** Tokens that can still be used: unexpired, owner present. */
export function liveTokens(ctx: Pick<RequestContext, 'state' | 'sessions'>, now: number): QuorumToken[] {
  return quorumOf(ctx.state).tokens.filter((t) => isOwnerPresent(ctx, t) && !isExpired(ctx.state, t, now));
}

/** Drop tokens that can never be used again (expired, or their session ended). True if any went. */
export function purgeDeadTokens(ctx: Pick<RequestContext, 'state' | 'sessions'>, now: number): boolean {
  const q = quorumOf(ctx.state);
  const alive = liveTokens(ctx, now);
  if (alive.length === q.tokens.length) return false;
  q.tokens = alive;
  return true;
}

function checkApprovalData(raw: unknown): Uint8Array {
  if (!(raw instanceof Uint8Array)) throw new HsmError('bad-request', 'approvalData must be bytes');
  if (raw.length < MIN_APPROVAL_DATA_LENGTH || raw.length > MAX_APPROVAL_DATA_LENGTH) {
    throw new HsmError('bad-request', `approvalData must be ${MIN_APPROVAL_DATA_LENGTH} to ${MAX_APPROVAL_DATA_LENGTH} bytes, got ${raw.length}`);
  }
  return raw;
}

/**
 * Store a new token for the caller's session. Every HSM of a cluster stores the same
 * `approvalData` (drawn once by one HSM), each bound to its own session of the same login.
 */
export function issueToken(ctx: RequestContext, service: TokenService, rawApprovalData: unknown): QuorumToken {
  const session = ctx.session;
  if (!session) throw new HsmError('not-logged-in', 'Not logged in');
  const approvalData = checkApprovalData(rawApprovalData);
  const now = ctx.clock();
  const q = quorumOf(ctx.state);
  purgeDeadTokens(ctx, now);
  const token = digest('sha256', approvalData);
  if (q.tokens.some((t) => equalBytes(t.token, token))) {
    throw new HsmError('bad-request', 'A token with this approval data already exists: draw new approval data');
  }
  if (ONE_TOKEN_PER_USER.includes(service)) {
    // One active token per user for these services: a new one replaces the old.
    q.tokens = q.tokens.filter((t) => !(t.username === session.username && t.service === service));
  }
  if (q.tokens.length >= MAX_STORED_TOKENS) {
    throw new HsmError('limit-reached', `Quorum token limit reached: this HSM stores at most ${MAX_STORED_TOKENS} tokens and none has expired`);
  }
  const record: QuorumToken = { token, approvalData, service, username: session.username, sessionId: session.id, createdAt: now, approvers: [] };
  q.tokens.push(record);
  ctx.markChanged();
  return record;
}

/**
 * The caller's live token whose bytes are `token`, or a refusal. Tokens of another session (so
 * also of a logged-out one), of another service and expired ones are all refused alike.
 */
export function findUsableToken(ctx: RequestContext, token: unknown, service: TokenService): QuorumToken {
  const session = ctx.session;
  const refuse = (): never => {
    throw new HsmError('quorum-required', 'Quorum approval is required for this operation');
  };
  if (!session || !(token instanceof Uint8Array)) return refuse();
  const record = quorumOf(ctx.state).tokens.find((t) => equalBytes(t.token, token));
  if (!record || !belongsTo(record, session) || record.service !== service) return refuse();
  if (!isOwnerPresent(ctx, record) || isExpired(ctx.state, record, ctx.clock())) return refuse();
  return record;
}

/** Remove a token (it was used, or its owner discarded it). */
export function consumeToken(ctx: RequestContext, record: QuorumToken): void {
  const q = quorumOf(ctx.state);
  const before = q.tokens.length;
  q.tokens = q.tokens.filter((t) => t !== record);
  if (q.tokens.length !== before) ctx.markChanged();
}
