/**
 * The rules for usernames, passwords and role arguments (spec §2.1, §2.3, §11), checked at the
 * boundary of every user and session operation with precise messages.
 * @module
 */
import { HsmError } from './envelope.ts';
import type { HsmLimits } from './limits.ts';
import type { Role } from './policy.ts';
import type { CliRoleArg } from './requests.ts';
import type { HsmSettings } from './state.ts';

/** The fixed accounts every HSM starts with (spec §1.2): CMU user ids 1 and 2. */
export const ADMIN_USERNAME = 'admin';
export const APPLIANCE_USERNAME = 'app_user';
/** Documented default password of the unactivated admin and (simulator extension) of app_user. */
export const DEFAULT_PASSWORD = 'password';

export const CLI_ROLE_ARGS: readonly CliRoleArg[] = ['admin', 'crypto-user', 'appliance'];

/**
 * A username as stored: validated and lower-cased. `[A-Za-z0-9_]`, plus `-` when the
 * `allowHyphenInUsernames` setting is on, 1–31 characters.
 */
export function normaliseUsername(raw: unknown, settings: HsmSettings, limits: HsmLimits): string {
  if (typeof raw !== 'string') throw new HsmError('bad-request', 'username must be a string');
  if (raw.length === 0) throw new HsmError('bad-request', 'username must not be empty');
  if (raw.length > limits.maxUsernameLength) {
    throw new HsmError('bad-request', `username must be at most ${limits.maxUsernameLength} characters, got ${raw.length}`);
  }
  const pattern = settings.allowHyphenInUsernames ? /^[A-Za-z0-9_-]+$/ : /^[A-Za-z0-9_]+$/;
  if (!pattern.test(raw)) {
    const allowed = settings.allowHyphenInUsernames ? 'letters, digits, underscore and hyphen' : 'letters, digits and underscore';
    throw new HsmError('bad-request', `username ${JSON.stringify(raw)} may contain only ${allowed}`);
  }
  return raw.toLowerCase();
}

/**
 * A username used only to look a user up (login, list): same type check, lower-cased, but no
 * character rules, so a malformed name is simply "not found".
 */
export function lookupName(raw: unknown): string {
  if (typeof raw !== 'string') throw new HsmError('bad-request', 'username must be a string');
  return raw.toLowerCase();
}

/**
 * A new password: case-sensitive, `minPasswordLength`–32 characters (spec §2.3), or
 * `minPasswordLengthLegacy`–32 when `legacy` (the caller is CMU/KMU, spec §11).
 */
export function checkNewPassword(raw: unknown, settings: HsmSettings, limits: HsmLimits, legacy: unknown = false): string {
  if (typeof raw !== 'string') throw new HsmError('bad-request', 'password must be a string');
  if (legacy !== undefined && typeof legacy !== 'boolean') throw new HsmError('bad-request', 'legacy must be a boolean');
  const min = legacy === true ? settings.minPasswordLengthLegacy : settings.minPasswordLength;
  const max = limits.maxPasswordLength;
  if (raw.length < min || raw.length > max) {
    throw new HsmError('bad-request', `password must be ${min} to ${max} characters, got ${raw.length}`);
  }
  return raw;
}

/** A password given to log in: only its type is checked (a wrong one is a failed login). */
export function checkGivenPassword(raw: unknown): string {
  if (typeof raw !== 'string') throw new HsmError('bad-request', 'password must be a string');
  return raw;
}

/** The `--role` argument: `admin`, `crypto-user` or (simulator extension) `appliance`; case-sensitive. */
export function parseRoleArg(raw: unknown): CliRoleArg {
  if (typeof raw !== 'string' || !(CLI_ROLE_ARGS as readonly string[]).includes(raw)) {
    throw new HsmError('bad-request', `role must be one of ${CLI_ROLE_ARGS.join(', ')}, got ${JSON.stringify(raw)}`);
  }
  return raw as CliRoleArg;
}

/** Does a `--role` argument name this stored role? `admin` also names the unactivated admin. */
export function roleMatches(arg: CliRoleArg, role: Role): boolean {
  switch (arg) {
    case 'admin':
      return role === 'admin' || role === 'unactivated-admin';
    case 'crypto-user':
      return role === 'crypto-user';
    case 'appliance':
      return role === 'appliance-user';
  }
}

/** The role a user created with this `--role` gets. The appliance user cannot be created. */
export function roleForNewUser(arg: CliRoleArg): Role {
  if (arg === 'appliance') throw new HsmError('bad-request', 'The appliance user is internal and cannot be created or deleted');
  return arg;
}
