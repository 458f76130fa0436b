/**
 * Multi-factor authentication with token-sign (spec §7.1) on one HSM: challenges, the second
 * factor of login, and registering or removing a user's MFA key. A challenge is 32 random bytes
 * the HSM remembers for a while (the `generated` token timeout); the user signs it with the rule
 * of ./signature.ts. Each HSM of a cluster issues its own challenge, so a token file carries one
 * challenge per HSM and every HSM picks out its own.
 * @module
 */
import { equalBytes } from '../../crypto/bytes.ts';
import type { RequestContext } from '../context.ts';
import { HsmError } from '../envelope.ts';
import type { UserRecord } from '../state.ts';
import { MFA_REQUIRED, MFA_SIGNATURE_INVALID } from './mfa-messages.ts';
import { MAX_PENDING_CHALLENGES, quorumOf, type MfaChallenge } from './quorum-state.ts';
import { registeredKeyFromSpki, TOKEN_LENGTH, verifyTokenSignature } from './signature.ts';

/** One signed challenge of a token file: `{"unsigned": <b64>, "signed": <b64>}`. */
export interface SignedChallenge {
  readonly unsigned: Uint8Array;
  readonly signed: Uint8Array;
}

/** What a challenge request answers, per HSM (the cluster gathers the `hsms` lists of every HSM). */
export interface ChallengeAnswer {
  readonly hsms: readonly { readonly hsm: number; readonly unsigned: Uint8Array }[];
}

export { MFA_REQUIRED, MFA_SIGNATURE_INVALID };

function isLive(ctx: RequestContext, c: MfaChallenge, now: number): boolean {
  return now <= c.createdAt + quorumOf(ctx.state).timeouts.generated * 1000;
}

/** A fresh challenge for `username`, stored on this HSM. */
export function issueChallenge(ctx: RequestContext, username: string, purpose: MfaChallenge['purpose']): ChallengeAnswer {
  const q = quorumOf(ctx.state);
  const now = ctx.clock();
  q.challenges = q.challenges.filter((c) => isLive(ctx, c, now)).slice(-(MAX_PENDING_CHALLENGES - 1));
  const unsigned = ctx.random.bytes(TOKEN_LENGTH);
  q.challenges.push({ username, purpose, unsigned, createdAt: now });
  ctx.markChanged();
  return { hsms: [{ hsm: ctx.state.identity.index, unsigned }] };
}

/** Check the shape of a list of signed challenges from a request. */
export function checkSignedChallenges(raw: unknown, argName: string): SignedChallenge[] {
  if (!Array.isArray(raw)) throw new HsmError('bad-request', `${argName} must be a list of { unsigned, signed }`);
  raw.forEach((t: unknown, i) => {
    const c = t as Record<string, unknown> | null;
    if (!c || !(c['unsigned'] instanceof Uint8Array) || !(c['signed'] instanceof Uint8Array)) {
      throw new HsmError('bad-request', `${argName}[${i}] must be { unsigned: bytes, signed: bytes }`);
    }
  });
  return raw as SignedChallenge[];
}

/**
 * Find this HSM's live challenge for `username`/`purpose` among the signed ones and check its
 * signature under the RSA key `spki`. Consumes the challenge either way (one try per challenge).
 */
export function redeemChallenge(ctx: RequestContext, username: string, purpose: MfaChallenge['purpose'], signed: readonly SignedChallenge[], spki: Uint8Array): boolean {
  const q = quorumOf(ctx.state);
  const now = ctx.clock();
  for (const entry of signed) {
    const challenge = q.challenges.find((c) => c.username === username && c.purpose === purpose && equalBytes(c.unsigned, entry.unsigned));
    if (!challenge) continue;
    q.challenges = q.challenges.filter((c) => c !== challenge);
    ctx.markChanged();
    if (!isLive(ctx, challenge, now)) return false;
    return verifyTokenSignature(registeredKeyFromSpki(spki), challenge.unsigned, entry.signed);
  }
  return false;
}

/**
 * The second factor of `session.login`, checked after the password: a user with an MFA key must
 * present this HSM's login challenge signed with it. Users without MFA ignore `mfaTokens`.
 */
export function requireSecondFactor(ctx: RequestContext, user: UserRecord, mfaTokens: unknown): void {
  if (!user.mfaPublicKey) return;
  if (mfaTokens === undefined) throw new HsmError('invalid-credentials', MFA_REQUIRED);
  const signed = checkSignedChallenges(mfaTokens, 'mfaTokens');
  if (!redeemChallenge(ctx, user.username, 'login', signed, user.mfaPublicKey)) throw new HsmError('invalid-credentials', MFA_SIGNATURE_INVALID);
}

/** Remove a user's MFA key; the shared key stops serving quorum too (spec §7.1). True if anything changed. */
export function removeMfa(user: UserRecord): boolean {
  if (!user.mfaPublicKey) return false;
  delete user.mfaPublicKey;
  delete user.quorumPublicKey;
  return true;
}
