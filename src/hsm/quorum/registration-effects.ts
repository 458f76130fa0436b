/**
 * What a password change does to a user's MFA and quorum registrations (spec §4.3, §7.1):
 * `--deregister-mfa` removes MFA (and with it the shared quorum key), `--deregister-quorum` removes
 * the quorum key, and changing the password of an MFA user who is also a quorum approver removes
 * the quorum registration (they must register again). Run after the password change succeeded.
 * @module
 */
import type { RequestContext } from '../context.ts';
import { removeMfa } from './mfa.ts';

export function applyPasswordChangeEffects(ctx: RequestContext, args: Readonly<Record<string, unknown>>): void {
  const name = args['username'];
  const user = typeof name === 'string' ? ctx.findUser(name) : undefined;
  if (!user) return;
  let changed = false;
  if (args['deregisterMfa'] === true) changed = removeMfa(user) || changed;
  if ((args['deregisterQuorum'] === true || user.mfaPublicKey !== undefined) && user.quorumPublicKey !== undefined) {
    delete user.quorumPublicKey;
    changed = true;
  }
  if (changed) ctx.markChanged();
}
