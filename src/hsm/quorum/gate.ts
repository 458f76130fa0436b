/**
 * The quorum gate of the request pipeline (spec §6.2): which operations a quorum protects, and the
 * check run after the policy check and before the handler.
 *
 * - Admin services (`user`, `quorum`): when the service's quorum value M is above 1, the request
 *   must carry an `approval` whose token, generated in this session for this service, has at
 *   least M valid approvals from distinct registered admins; otherwise it is refused with
 *   "Quorum approval is required for this operation".
 * - Key services (`key-management`, `key-usage`): the key named by the request's filter has its
 *   own quorum values; a sufficient approval (from its owner and shared users) is granted to that
 *   key for this request, and the key handlers' `requireNoQuorum` refuses keys without a grant.
 *
 * Tokens that let a request through are consumed when the handler succeeds (single use).
 * @module
 */
import type { RequestContext } from '../context.ts';
import { HsmError } from '../envelope.ts';
import { findOneKey } from '../keys/filter.ts';
import type { Op } from '../policy.ts';
import type { KeyRecord } from '../state.ts';
import { judgeApproval, QUORUM_REQUIRED } from './approvals.ts';
import { grantKeyService, revokeKeyGrants } from './key-grants.ts';
import { quorumOf, type KeyService, type QuorumService, type QuorumToken } from './quorum-state.ts';
import { consumeToken } from './tokens.ts';
import { applyPasswordChangeEffects } from './registration-effects.ts';

/** How one protected operation is guarded. */
export type QuorumGuard =
  | {
      readonly kind: 'service';
      readonly service: QuorumService;
      /** When present, the guard applies only if this says so (e.g. changing another user's MFA). */
      readonly appliesTo?: (ctx: RequestContext, args: Readonly<Record<string, unknown>>) => boolean;
    }
  | { readonly kind: 'key'; readonly service: KeyService; readonly filterArg: string; readonly approvalArg: string };

const service = (s: QuorumService, appliesTo?: (ctx: RequestContext, args: Readonly<Record<string, unknown>>) => boolean): QuorumGuard =>
  appliesTo ? { kind: 'service', service: s, appliesTo } : { kind: 'service', service: s };
const key = (s: KeyService, filterArg: string, approvalArg = 'approval'): QuorumGuard => ({ kind: 'key', service: s, filterArg, approvalArg });

function targetsAnotherUser(ctx: RequestContext, args: Readonly<Record<string, unknown>>): boolean {
  const name = args['username'];
  return typeof name !== 'string' || name.toLowerCase() !== ctx.session?.username;
}

/**
 * Every quorum-protected operation (spec §4.3, §4.5, §6.2). `user.change-password` here is
 * always another user's password: the pipeline turns a change of one's own into
 * `user.change-own-password`, which no quorum protects.
 */
export const QUORUM_GUARDS: Readonly<Partial<Record<Op, readonly QuorumGuard[]>>> = {
  'user.create': [service('user')],
  'user.delete': [service('user')],
  'user.change-password': [service('user')],
  'user.change-mfa': [service('user', targetsAnotherUser)],
  'quorum.set-value': [service('quorum')],
  'key.delete': [key('key-management', 'filter')],
  'key.share': [key('key-management', 'filter')],
  'key.unshare': [key('key-management', 'filter')],
  'key.set-attribute': [key('key-management', 'filter')],
  'key.wrap': [key('key-management', 'payloadFilter', 'payloadApproval'), key('key-management', 'wrappingFilter', 'wrappingApproval')],
  'key.unwrap': [key('key-management', 'filter')],
  'crypto.sign': [key('key-usage', 'keyFilter')],
  'crypto.mac-generate': [key('key-usage', 'keyFilter')],
};

/** The approval argument names an op takes (for the CLI and docs). */
export function approvalArgsOf(op: Op): string[] {
  return (QUORUM_GUARDS[op] ?? []).map((g) => (g.kind === 'key' ? g.approvalArg : 'approval'));
}

/** What the pipeline does with a passed check once the handler has answered. */
export interface QuorumCheck {
  /** The handler succeeded: consume the tokens that let it through. */
  succeeded(): void;
  /** The request is over (success or not): forget the key grants. */
  end(): void;
}

const NOTHING_TO_DO: QuorumCheck = { succeeded: () => undefined, end: () => undefined };

/** The registration side effects of a successful password change (spec §7.1), run with the token clean-up. */
function afterSuccess(ctx: RequestContext, op: Op, args: Readonly<Record<string, unknown>>): void {
  if (op === 'user.change-password' || op === 'user.change-own-password') applyPasswordChangeEffects(ctx, args);
}

/** The one key the filter names in the caller's scope, or undefined (the handler will say why). */
function keyNamedBy(ctx: RequestContext, filter: unknown): KeyRecord | undefined {
  if (!Array.isArray(filter) || !filter.every((t) => typeof t === 'string')) return undefined;
  try {
    return findOneKey({ session: ctx.session, state: ctx.state }, filter as string[]);
  } catch {
    return undefined;
  }
}

/**
 * Run the quorum guards of `op`. Throws HsmError('quorum-required') when an admin service needs an
 * approval the request does not carry; otherwise returns what to do after the handler.
 */
export function checkQuorum(ctx: RequestContext, op: Op, args: Readonly<Record<string, unknown>>): QuorumCheck {
  const guards = QUORUM_GUARDS[op];
  if (!guards) return op === 'user.change-own-password' ? { succeeded: () => afterSuccess(ctx, op, args), end: () => undefined } : NOTHING_TO_DO;
  const used: QuorumToken[] = [];
  const granted: KeyRecord[] = [];
  try {
    for (const guard of guards) {
      if (guard.kind === 'service') {
        if (guard.appliesTo && !guard.appliesTo(ctx, args)) continue;
        const m = quorumOf(ctx.state).values[guard.service];
        if (m <= 1) continue;
        if (args['approval'] === undefined) throw new HsmError('quorum-required', QUORUM_REQUIRED);
        const verdict = judgeApproval(ctx, args['approval'], 'approval', guard.service, m, { kind: 'admins' });
        if (!verdict.approved) throw new HsmError('quorum-required', QUORUM_REQUIRED);
        used.push(verdict.record);
        continue;
      }
      const target = keyNamedBy(ctx, args[guard.filterArg]);
      if (!target) continue;
      const m = guard.service === 'key-management' ? target.manageKeyQuorumValue : target.useKeyQuorumValue;
      // Without a (sufficient) approval the handler refuses at its own point, after its other checks.
      if (m <= 1 || args[guard.approvalArg] === undefined) continue;
      const verdict = judgeApproval(ctx, args[guard.approvalArg], guard.approvalArg, guard.service, m, { kind: 'key', key: target });
      if (!verdict.approved) continue;
      grantKeyService(target, guard.service);
      granted.push(target);
      used.push(verdict.record);
    }
  } catch (e) {
    revokeKeyGrants(granted);
    throw e;
  }
  return {
    succeeded: () => {
      for (const record of new Set(used)) consumeToken(ctx, record);
      afterSuccess(ctx, op, args);
    },
    end: () => revokeKeyGrants(granted),
  };
}
