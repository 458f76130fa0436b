/**
 * Judging an approval (spec §6.1): the requester presents a token file carrying signatures; the
 * HSM checks each with the signer's registered quorum key, counts distinct eligible approvers,
 * and lets the operation through when there are at least M. Eligible approvers are admins for
 * the admin services (user, quorum, cluster) and the key's owner and shared users for the key
 * services. The requester may approve their own token.
 * @module
 */
import { equalBytes } from '../../crypto/bytes.ts';
import type { RequestContext } from '../context.ts';
import { HsmError } from '../envelope.ts';
import type { KeyRecord, UserRecord } from '../state.ts';
import { registeredKeyFromSpki, verifyTokenSignature } from './signature.ts';
import { findUsableToken, isExpired } from './tokens.ts';
import type { QuorumToken, TokenService } from './quorum-state.ts';

/** One approval in a token file: `{"username": …, "signature": <b64>}`. */
export interface ApprovalSignature {
  readonly username: string;
  readonly signature: Uint8Array;
}

/** What `--approval FILE` becomes in a request: the token bytes and the approvals appended to it. */
export interface ApprovalArg {
  readonly token: Uint8Array;
  readonly signatures: readonly ApprovalSignature[];
}

/** The message of every refusal for a missing or insufficient approval (spec §10). */
export const QUORUM_REQUIRED = 'Quorum approval is required for this operation';

/** Who may approve for a service: admins, or the users associated with a key. */
export type Eligibility = { readonly kind: 'admins' } | { readonly kind: 'key'; readonly key: KeyRecord };

function isEligible(user: UserRecord, who: Eligibility): boolean {
  if (who.kind === 'admins') return user.role === 'admin';
  return user.role === 'crypto-user' && (who.key.owner === user.username || who.key.shared.includes(user.username));
}

/** How many registered users could approve at all (the ceiling for a quorum value). */
export function registeredApprovers(ctx: Pick<RequestContext, 'state'>, who: Eligibility): number {
  return ctx.state.users.filter((u) => u.quorumPublicKey !== undefined && isEligible(u, who)).length;
}

function checkApprovalShape(raw: unknown, argName: string): ApprovalArg {
  const bad = (what: string): never => {
    throw new HsmError('bad-request', `${argName} ${what}`);
  };
  if (raw === null || typeof raw !== 'object') return bad('must be an object { token, signatures }');
  const a = raw as Record<string, unknown>;
  if (!(a['token'] instanceof Uint8Array)) return bad('token must be bytes');
  if (!Array.isArray(a['signatures'])) return bad('signatures must be a list of { username, signature }');
  for (const [i, s] of (a['signatures'] as unknown[]).entries()) {
    const sig = s as Record<string, unknown> | null;
    if (!sig || typeof sig['username'] !== 'string' || !(sig['signature'] instanceof Uint8Array)) {
      bad(`signatures[${i}] must be { username: string, signature: bytes }`);
    }
  }
  return a as unknown as ApprovalArg;
}

/**
 * Distinct eligible users whose signature on `token` verifies under their registered key. Each
 * registered key counts once: CMU `registerQuorumPubKey` accepts a signature over any file, so
 * an officer holding someone's approval signature could register that person's public key as
 * their own; the one signature must still be one approval, not two.
 */
export function validApprovers(ctx: RequestContext, token: Uint8Array, signatures: readonly ApprovalSignature[], who: Eligibility): string[] {
  const approvers: string[] = [];
  const keysCounted: Uint8Array[] = [];
  for (const { username, signature } of signatures) {
    const user = ctx.findUser(username);
    if (!user || approvers.includes(user.username) || !user.quorumPublicKey || !isEligible(user, who)) continue;
    const spki = user.quorumPublicKey;
    if (keysCounted.some((k) => equalBytes(k, spki))) continue;
    let key;
    try {
      key = registeredKeyFromSpki(user.quorumPublicKey);
    } catch {
      continue;
    }
    if (verifyTokenSignature(key, token, signature)) {
      approvers.push(user.username);
      keysCounted.push(spki);
    }
  }
  return approvers;
}

/** The outcome of presenting a token: the token record and whether it carries at least M approvals. */
export interface ApprovalVerdict {
  readonly record: QuorumToken;
  readonly approved: boolean;
}

/**
 * Judge an approval argument for `service` needing `m` approvals. Unknown, foreign-session,
 * wrong-service and expired tokens are refused (quorum-required). Valid approvals are remembered
 * on the token (`quorum token-sign list` counts them); the first time a token has enough, its
 * `approved` timeout starts.
 */
export function judgeApproval(ctx: RequestContext, rawApproval: unknown, argName: string, service: TokenService, m: number, who: Eligibility): ApprovalVerdict {
  const approval = checkApprovalShape(rawApproval, argName);
  const record = findUsableToken(ctx, approval.token, service);
  const approvers = validApprovers(ctx, record.token, approval.signatures, who);
  const merged = [...new Set([...record.approvers, ...approvers])];
  if (merged.length !== record.approvers.length) {
    record.approvers = merged;
    ctx.markChanged();
  }
  const approved = approvers.length >= m;
  if (approved && record.approvedAt === undefined) {
    const now = ctx.clock();
    record.approvedAt = now;
    if (isExpired(ctx.state, record, now)) throw new HsmError('quorum-required', QUORUM_REQUIRED);
    ctx.markChanged();
  }
  return { record, approved };
}
