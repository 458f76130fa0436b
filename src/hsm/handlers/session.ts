/**
 * Log in and out (spec §4.2). Login judges the password against the stored salted hash, counts
 * failures per HSM and locks a user at `maxFailedLogins` (spec §2.3 [SIM]); logout ends the session
 * and destroys its session keys.
 * @module
 */
import { verifyPassword } from '../../crypto/password.ts';
import type { Handlers, RequestContext } from '../context.ts';
import { HsmError } from '../envelope.ts';
import { CLI_ROLE_NAME } from '../policy.ts';
import { requireSecondFactor } from '../quorum/mfa.ts';
import type { UserRecord } from '../state.ts';
import { checkGivenPassword, lookupName, parseRoleArg, roleMatches } from '../users-rules.ts';

const INVALID = 'Invalid username or password';

export function isLocked(ctx: RequestContext, user: UserRecord): boolean {
  return user.failedLogins >= ctx.state.settings.maxFailedLogins;
}

export const sessionHandlers = {
  'session.login': async (ctx, args) => {
    const username = lookupName(args.username);
    const role = parseRoleArg(args.role);
    const password = checkGivenPassword(args.password);
    const user = ctx.findUser(username);
    if (!user || !roleMatches(role, user.role)) throw new HsmError('invalid-credentials', INVALID);
    if (isLocked(ctx, user)) throw new HsmError('user-locked', 'User is locked');
    if (!(await verifyPassword(password, user.password))) {
      // The one refusal that changes state on purpose: the per-HSM failure counter.
      user.failedLogins += 1;
      ctx.markChanged();
      throw new HsmError('invalid-credentials', INVALID);
    }
    requireSecondFactor(ctx, user, args.mfaTokens); // MFA token-sign users (spec §7.1)
    if (ctx.sessions.size >= ctx.limits.maxSessions) {
      throw new HsmError('limit-reached', `Session limit reached: this HSM allows ${ctx.limits.maxSessions} open sessions`);
    }
    if (user.failedLogins !== 0) {
      user.failedLogins = 0;
      ctx.markChanged();
    }
    const id = ctx.sessions.newId(); // its own stream: logins do not move the key-material stream
    ctx.sessions.open(id, user.username);
    return { username: user.username, role: CLI_ROLE_NAME[user.role], session: id };
  },

  'session.logout': (ctx) => {
    const session = ctx.session;
    if (!session) throw new HsmError('not-logged-in', 'Not logged in');
    const before = ctx.state.keys.length;
    ctx.state.keys = ctx.state.keys.filter((k) => k.sessionId !== session.id);
    if (ctx.state.keys.length !== before) ctx.markChanged();
    ctx.sessions.close(session.id);
    return 'Logout successful';
  },
} satisfies Partial<Handlers>;
