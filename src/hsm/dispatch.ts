/**
 * The request pipeline of one HSM, in one place:
 * validate `op` → resolve the session → the caller's role → (`user.change-password` on oneself
 * becomes `user.change-own-password`) → policy check → handler → audit entry → save the snapshot
 * if the state changed (and step the clock) → envelope. It never throws: a handler refuses by throwing HsmError, and
 * any other exception becomes 'internal-error' with the state rolled back to the last snapshot.
 * {@link dispatchBatch} answers many requests and saves once at the end: a batch costs one
 * snapshot write, not one per state-changing request.
 * @module
 */
import type { PasswordCost } from '../crypto/password.ts';
import type { RandomSource } from '../crypto/random.ts';
import type { Clock } from './clock.ts';
import type { RequestContext, SessionTable, SessionView } from './context.ts';
import { fail, HsmError, ok, type Envelope, type Failure } from './envelope.ts';
import { HANDLERS } from './handlers/index.ts';
import { checkQuorum } from './quorum/gate.ts';
import type { HsmLimits } from './limits.ts';
import { isAllowed, isOp, POLICY, whoMay, type Op, type Role } from './policy.ts';
import type { HsmModel, HsmState } from './state.ts';

/** What the dispatcher needs from the HSM that owns it. */
export interface DispatchTarget {
  readonly state: HsmState;
  readonly sessions: SessionTable;
  readonly random: RandomSource;
  readonly clock: Clock;
  readonly model: HsmModel;
  readonly limits: HsmLimits;
  readonly passwordCost: PasswordCost;
  /** Save the current state as the new snapshot. */
  persist(): Promise<void>;
  /** Throw away in-memory changes: go back to the last saved snapshot. */
  rollback(): void;
}

/** Handles are partitioned among the (at most 28) HSMs of a cluster: see {@link allocateHandle}. */
export const HANDLE_STRIDE = 32;

/**
 * The next key handle of this HSM: the first free one ≥ `nextHandle` that is ≡ the HSM's index
 * (mod {@link HANDLE_STRIDE}). HSMs of one cluster start from the same counter (clones), so this
 * keeps handles made independently on two HSMs apart; the appliance user's sync keeps a key's
 * handle on every HSM, so a key reference means the same key everywhere. Never reuses a handle.
 */
export function allocateHandle(state: HsmState): number {
  const slot = state.identity.index % HANDLE_STRIDE;
  let handle = state.nextHandle;
  handle += (slot - (handle % HANDLE_STRIDE) + HANDLE_STRIDE) % HANDLE_STRIDE;
  state.nextHandle = handle + 1;
  return handle;
}

/** Longest op name copied into the audit log from an unknown request. */
const MAX_AUDITED_OP_LENGTH = 64;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function failureOf(e: unknown): Failure {
  if (e instanceof HsmError) return fail(e.reason, e.message, e.allowedRoles);
  const message = e instanceof Error ? e.message : String(e);
  return fail('internal-error', `Internal HSM error: ${message}`);
}

function appendAudit(target: DispatchTarget, session: SessionView | undefined, role: Role, op: string, answer: Envelope): void {
  const audit = target.state.audit;
  audit.push({
    time: target.clock(),
    hsm: target.state.identity.index,
    user: session?.username ?? '',
    role,
    op,
    result: answer.error_code === 0 ? 'ok' : 'refused',
    detail: answer.error_code === 0 ? '' : answer.data,
  });
  // Trimming one entry per request would move the whole log every time once it is full; let it
  // overrun by a slack and trim in one go (reads and snapshots see exactly the newest maximum).
  if (audit.length - target.limits.maxAuditEntries >= AUDIT_TRIM_SLACK) trimAudit(target.state, target.limits.maxAuditEntries);
}

/** How far the in-memory audit log may overrun its maximum before it is trimmed. */
export const AUDIT_TRIM_SLACK = 1024;

/** Drop the oldest audit entries beyond `max` (before a snapshot, and in bulk while running). */
export function trimAudit(state: HsmState, max: number): void {
  const excess = state.audit.length - max;
  if (excess > 0) state.audit.splice(0, excess);
}

/** The operation that actually runs: changing one's own password is a different permission. */
function effectiveOp(op: Op, args: Record<string, unknown>, session: SessionView | undefined): Op {
  if (op !== 'user.change-password' || !session) return op;
  const target = args['username'];
  return typeof target === 'string' && target.toLowerCase() === session.username ? 'user.change-own-password' : op;
}

/** One answered request whose changes (if any) are not saved yet. */
export interface Dispatched {
  readonly answer: Envelope;
  /** The request changed the persistent state: the snapshot must be saved before the answer counts. */
  readonly changed: boolean;
  /**
   * The handler failed unexpectedly and the state went back to the last saved snapshot — which
   * also discards the unsaved changes of earlier requests of the same batch.
   */
  readonly rolledBack: boolean;
  /** Who asked what, for the audit entry of a failed save. */
  readonly audit: { readonly session: SessionView | undefined; readonly role: Role; readonly op: string };
}

/** Answer one request. Never throws. Callers must not run two dispatches at once (see Hsm). */
export async function dispatch(target: DispatchTarget, request: unknown): Promise<Envelope> {
  const dispatched = await dispatchUnsaved(target, request);
  if (!dispatched.changed) return dispatched.answer;
  try {
    await target.persist();
    return dispatched.answer;
  } catch (e) {
    target.rollback();
    return unsavedFailure(target, dispatched, e);
  }
}

/**
 * Answer requests in order, as if sent one by one, saving the snapshot ONCE at the end if any
 * changed the state. Never throws. If that save fails, the state goes back to the last snapshot
 * and every state-changing answer of the batch becomes an 'internal-error' failure. Likewise, a
 * request that fails unexpectedly (its state rolled back) takes the unsaved changes of the
 * earlier requests of the batch with it, and their answers become failures too.
 */
export async function dispatchBatch(target: DispatchTarget, requests: readonly unknown[]): Promise<Envelope[]> {
  const answers: Envelope[] = [];
  /** Answers of changes made since the last snapshot, by position. */
  let unsaved: { index: number; dispatched: Dispatched }[] = [];
  for (const request of requests) {
    const dispatched = await dispatchUnsaved(target, request);
    if (dispatched.rolledBack) {
      for (const { index, dispatched: lost } of unsaved) {
        answers[index] = unsavedFailure(target, lost, `discarded with the rest of the batch, because request ${answers.length + 1} failed: ${dispatched.answer.data as string}`);
      }
      unsaved = [];
    }
    if (dispatched.changed) unsaved.push({ index: answers.length, dispatched });
    answers.push(dispatched.answer);
  }
  if (unsaved.length === 0) return answers;
  try {
    await target.persist();
  } catch (e) {
    target.rollback();
    for (const { index, dispatched } of unsaved) answers[index] = unsavedFailure(target, dispatched, e);
  }
  return answers;
}

/**
 * The failure that replaces the answer of a request whose changes could not be saved (the caller
 * has rolled the state back): 'internal-error', audited. Never claim success for unsaved changes.
 */
export function unsavedFailure(target: DispatchTarget, dispatched: Dispatched, cause: unknown): Failure {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const failure = fail('internal-error', `Could not save the HSM state: ${reason}`);
  appendAudit(target, dispatched.audit.session, dispatched.audit.role, dispatched.audit.op, failure);
  return failure;
}

/**
 * Answer one request without saving: the caller must call `target.persist()` when
 * `changed` is true (and roll back on failure) before the answer may be believed. Never throws.
 */
export async function dispatchUnsaved(target: DispatchTarget, request: unknown): Promise<Dispatched> {
  let auditOp = '(malformed request)';
  let session: SessionView | undefined;
  let role: Role = 'unauthenticated';
  let changed = false;
  let rolledBack = false;
  let answer: Envelope;
  try {
    if (!isPlainObject(request)) throw new HsmError('bad-request', 'request must be an object { op, session, args }');
    const rawOp = request['op'];
    if (typeof rawOp !== 'string') throw new HsmError('bad-request', 'request op must be a string');
    auditOp = rawOp.slice(0, MAX_AUDITED_OP_LENGTH);
    if (!isOp(rawOp)) throw new HsmError('bad-request', `Unknown operation ${JSON.stringify(auditOp)}`);

    const sessionId = request['session'];
    if (sessionId !== undefined) {
      if (typeof sessionId !== 'string') throw new HsmError('bad-request', 'request session must be a string');
      const username = target.sessions.usernameOf(sessionId);
      const user = username === undefined ? undefined : target.state.users.find((u) => u.username === username);
      if (!user) throw new HsmError('not-logged-in', 'Not logged in: this session is not open on this HSM (it was logged out or the HSM restarted)');
      session = { id: sessionId, username: user.username, role: user.role };
      role = user.role;
    }

    const rawArgs = request['args'] ?? {};
    if (!isPlainObject(rawArgs)) throw new HsmError('bad-request', 'request args must be an object');
    const op = effectiveOp(rawOp, rawArgs, session);
    auditOp = op;
    if (!isAllowed(op, role)) {
      const allowed = POLICY[op].roles;
      if (role === 'unauthenticated') throw new HsmError('not-logged-in', `Not logged in: ${whoMay(op)}`, allowed);
      throw new HsmError('permission-denied', `Permission denied: ${whoMay(op)}`, allowed);
    }

    const ctx: RequestContext = {
      state: target.state,
      session,
      random: target.random,
      clock: target.clock,
      model: target.model,
      limits: target.limits,
      passwordCost: target.passwordCost,
      sessions: target.sessions,
      findUser: (name) => {
        const lower = name.toLowerCase();
        return target.state.users.find((u) => u.username === lower);
      },
      allocateHandle: () => allocateHandle(target.state),
      markChanged: () => {
        changed = true;
      },
    };
    const handler = HANDLERS[op] as (ctx: RequestContext, args: unknown) => unknown;
    // Quorum-protected operations need an approval first; the tokens that let them through are spent on success.
    const quorum = checkQuorum(ctx, op, rawArgs);
    try {
      answer = ok(await handler(ctx, rawArgs));
      quorum.succeeded();
    } finally {
      quorum.end();
    }
  } catch (e) {
    answer = failureOf(e);
    if (answer.error_code === 1 && answer.reason === 'internal-error') {
      // Whatever the failed handler touched is discarded; only the audit entry below survives.
      target.rollback();
      changed = false;
      rolledBack = true;
    }
  }
  appendAudit(target, session, role, auditOp, answer);
  // Time moves per state change only: read-only requests leave a virtual clock where it was.
  if (changed) target.clock.advance?.();
  return { answer, changed, rolledBack, audit: { session, role, op: auditOp } };
}
