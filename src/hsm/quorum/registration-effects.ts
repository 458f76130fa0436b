/**
 * What a password change does to a user's MFA and quorum registrations (spec §4.3, §7.1):
 * `--deregister-mfa` removes MFA (and with it the shared quorum key), `--deregister-quorum` removes
 * the quorum key, and changing the password of an MFA user who is also a quorum approver removes
 * the quorum registration (they must register again). Run after the password change succeeded.
 * @module
 */
import type { RequestContext } from '../context.ts';
import type { UserRecord } from '../state.ts';
import { removeMfa } from './mfa.ts';

/**
 * The rule of a new password for an MFA user who is also a quorum approver: the quorum
 * registration goes. True if anything changed.
 */
export function dropQuorumOfMfaUser(user: UserRecord): boolean {
  if (user.mfaPublicKey === undefined || user.quorumPublicKey === undefined) return false;
  delete user.quorumPublicKey;
  return true;
}

export function applyPasswordChangeEffects(ctx: RequestContext, args: Readonly<Record<string, unknown>>): void {
  const name = args['username'];
  const user = typeof name === 'string' ? ctx.findUser(name) : undefined;
  if (!user) return;
  let changed = false;
  if (args['deregisterMfa'] === true) changed = removeMfa(user) || changed;
  changed = dropQuorumOfMfaUser(user) || changed;
  if (args['deregisterQuorum'] === true && user.quorumPublicKey !== undefined) {
    delete user.quorumPublicKey;
    changed = true;
  }
  if (changed) ctx.markChanged();
}
