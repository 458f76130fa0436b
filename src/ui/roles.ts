/**
 * What the page says about roles, all read from the policy value (src/hsm/policy.ts): the badge
 * of a session (CMU name beside the cloudhsm-cli name), whether a button's operation is open to
 * the session's role and, when not, the reason shown beside it ("needs a crypto user"), and the
 * short explanation printed under a refusal typed in the terminal. The HSM stays the authority:
 * this only mirrors its decision so a learner sees it before clicking.
 * @module
 */
import type { Failure } from '../hsm/envelope.ts';
import { CLI_ROLE_NAME, CMU_ROLE_NAME, POLICY, ROLE_PHRASE, ROLES, type Op, type Role } from '../hsm/policy.ts';

export interface Identity {
  readonly username: string;
  readonly role: Role;
}

/** The role a session acts with: its login's role, or `unauthenticated`. */
export function roleOf(identity: Identity | undefined): Role {
  return identity?.role ?? 'unauthenticated';
}

export interface RoleBadge {
  /** CMU/KMU name (`CU`), or `unauthenticated`. */
  readonly short: string;
  /** cloudhsm-cli name (`crypto-user`). */
  readonly cli: string;
  /** For screen readers: "crypto user (CU, crypto-user)". */
  readonly label: string;
}

export function roleBadge(role: Role): RoleBadge {
  if (role === 'unauthenticated') return { short: 'unauthenticated', cli: 'not logged in', label: 'not logged in (unauthenticated)' };
  const phrase = ROLE_PHRASE[role].replace(/^(a|an|the) /, '');
  return { short: CMU_ROLE_NAME[role], cli: CLI_ROLE_NAME[role], label: `${phrase} (${CMU_ROLE_NAME[role]}, ${CLI_ROLE_NAME[role]})` };
}

/**
 * The roles worth naming for an op: when logged-in roles may run it, "unauthenticated" is left
 * out (everyone may — naming it adds nothing); ROLES order.
 */
export function namedRoles(roles: readonly Role[]): Role[] {
  const loggedIn: readonly Role[] = roles.filter((r) => r !== 'unauthenticated');
  return ROLES.filter((r) => (loggedIn.length > 0 ? loggedIn.includes(r) : roles.includes(r)));
}

/** "a crypto user", "an admin or a crypto user", "no login". */
export function rolesPhrase(roles: readonly Role[]): string {
  const names = namedRoles(roles).map((r) => (r === 'unauthenticated' ? 'no login' : ROLE_PHRASE[r]));
  if (names.length === 0) return 'nobody';
  return names.length === 1 ? (names[0] as string) : `${names.slice(0, -1).join(', ')} or ${names.at(-1) as string}`;
}

export type Gate = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** May a session with `role` run `op`? If not, the reason a disabled button shows. */
export function gate(op: Op, role: Role): Gate {
  const roles = POLICY[op].roles as readonly Role[];
  if (roles.includes(role)) return { allowed: true };
  const onlyLoggedOut = roles.length === 1 && roles[0] === 'unauthenticated';
  if (onlyLoggedOut) return { allowed: false, reason: 'needs a session that is not logged in' };
  // Open to every login (e.g. log out): "needs a login" says it; listing the four roles does not.
  const anyLogin = ROLES.every((r) => r === 'unauthenticated' || roles.includes(r));
  return { allowed: false, reason: anyLogin ? 'needs a login: log in first' : `needs ${rolesPhrase(roles)}` };
}

/**
 * The line printed under a refusal in the terminal. Permission refusals name the roles that
 * could run the command (from the failure's `allowedRoles`) and how to get such a session.
 * Other failures get no explanation (undefined): their message says it already.
 */
export function explainRefusal(failure: Failure, role: Role): string | undefined {
  if (failure.reason !== 'permission-denied' && failure.reason !== 'not-logged-in') return undefined;
  const allowed = failure.allowedRoles ?? [];
  if (allowed.length === 0) return `Your session (${roleBadge(role).short}) may not run this command.`;
  const who = namedRoles(allowed).map((r) => (r === 'unauthenticated' ? 'a session that is not logged in' : `${ROLE_PHRASE[r]} (${CMU_ROLE_NAME[r]})`));
  const list = who.length === 1 ? who[0] : `${who.slice(0, -1).join(', ')} or ${who.at(-1) as string}`;
  const hint =
    allowed.includes('unauthenticated') && !allowed.includes(role)
      ? ' Log out first.'
      : role === 'unauthenticated'
        ? ' Log in as one first.'
        : ' Open a new session and log in as one.';
  return `Refused for ${roleBadge(role).short}: only ${list} may run this.${allowed.includes(role) ? '' : hint}`;
}
