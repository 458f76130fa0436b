import { describe, expect, it } from 'vitest';
import { HsmError } from '../../../src/hsm/envelope.ts';
import { MODEL_LIMITS } from '../../../src/hsm/limits.ts';
import { DEFAULT_SETTINGS } from '../../../src/hsm/state.ts';
import {
  checkNewPassword,
  normaliseUsername,
  parseRoleArg,
  roleForNewUser,
  roleMatches,
} from '../../../src/hsm/users-rules.ts';

const limits = MODEL_LIMITS['hsm2m.medium'];

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof HsmError) return `${e.reason}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

describe('usernames', () => {
  it('stores names in lower case and accepts letters, digits and underscore up to 31 characters', () => {
    expect(normaliseUsername('Alice_01', DEFAULT_SETTINGS, limits)).toBe('alice_01');
    expect(normaliseUsername('a'.repeat(31), DEFAULT_SETTINGS, limits)).toBe('a'.repeat(31));
    expect(normaliseUsername('X', DEFAULT_SETTINGS, limits)).toBe('x');
  });

  it('refuses empty, too long, non-string and names with other characters, naming the problem', () => {
    expect(reasonOf(() => normaliseUsername('', DEFAULT_SETTINGS, limits))).toMatch(/^bad-request: username must not be empty/);
    expect(reasonOf(() => normaliseUsername('a'.repeat(32), DEFAULT_SETTINGS, limits))).toMatch(/at most 31 characters, got 32/);
    expect(reasonOf(() => normaliseUsername(7, DEFAULT_SETTINGS, limits))).toMatch(/username must be a string/);
    for (const bad of ['crypto-user', 'a b', 'é', 'a.b', 'x!']) {
      expect(reasonOf(() => normaliseUsername(bad, DEFAULT_SETTINGS, limits))).toMatch(/may contain only letters, digits and underscore/);
    }
  });

  it('accepts hyphens only when the setting allows them', () => {
    const hyphens = { ...DEFAULT_SETTINGS, allowHyphenInUsernames: true };
    expect(normaliseUsername('Crypto-User-1', hyphens, limits)).toBe('crypto-user-1');
    expect(reasonOf(() => normaliseUsername('a.b', hyphens, limits))).toMatch(/letters, digits, underscore and hyphen/);
  });
});

describe('passwords', () => {
  it('accepts 8 to 32 characters, case kept', () => {
    expect(checkNewPassword('Abcdefgh', DEFAULT_SETTINGS, limits)).toBe('Abcdefgh');
    expect(checkNewPassword('x'.repeat(32), DEFAULT_SETTINGS, limits)).toHaveLength(32);
  });

  it('refuses 7 and 33 characters with the length in the message', () => {
    expect(reasonOf(() => checkNewPassword('1234567', DEFAULT_SETTINGS, limits))).toBe('bad-request: password must be 8 to 32 characters, got 7');
    expect(reasonOf(() => checkNewPassword('x'.repeat(33), DEFAULT_SETTINGS, limits))).toMatch(/got 33/);
    expect(reasonOf(() => checkNewPassword(undefined, DEFAULT_SETTINGS, limits))).toMatch(/password must be a string/);
  });

  it('follows the minimum length setting', () => {
    expect(checkNewPassword('1234567', { ...DEFAULT_SETTINGS, minPasswordLength: 7 }, limits)).toBe('1234567');
  });
});

describe('role arguments', () => {
  it('admin names both admins, crypto-user the CU, appliance the AU', () => {
    expect(roleMatches('admin', 'admin')).toBe(true);
    expect(roleMatches('admin', 'unactivated-admin')).toBe(true);
    expect(roleMatches('admin', 'crypto-user')).toBe(false);
    expect(roleMatches('crypto-user', 'crypto-user')).toBe(true);
    expect(roleMatches('crypto-user', 'admin')).toBe(false);
    expect(roleMatches('appliance', 'appliance-user')).toBe(true);
    expect(roleMatches('appliance', 'admin')).toBe(false);
  });

  it('is case-sensitive and refuses unknown roles', () => {
    expect(parseRoleArg('crypto-user')).toBe('crypto-user');
    expect(reasonOf(() => parseRoleArg('Admin'))).toMatch(/role must be one of admin, crypto-user, appliance, got "Admin"/);
    expect(reasonOf(() => parseRoleArg('CU'))).toMatch(/^bad-request/);
  });

  it('never creates an appliance user', () => {
    expect(roleForNewUser('crypto-user')).toBe('crypto-user');
    expect(reasonOf(() => roleForNewUser('appliance'))).toMatch(/cannot be created or deleted/);
  });
});
