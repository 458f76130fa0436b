import { describe, expect, it } from 'vitest';
import { fillPasswords, placeholdersIn, redactPasswords, secretFlagNames } from '../../../src/ui/sandbox/passwords.ts';

describe('passwords in shared lines', () => {
  it('knows the password flags from the command table', () => {
    expect(secretFlagNames().has('password')).toBe(true);
    expect(secretFlagNames().has('username')).toBe(false);
  });

  it('replaces each distinct password by one placeholder, leaving everything else alone', () => {
    const { lines, placeholders } = redactPasswords([
      'cluster activate --password admin-pass-1',
      "login --username admin --role admin --password 'admin-pass-1'",
      'user create --username alice --role crypto-user --password=alice pw',
      'user list',
    ]);
    expect(placeholders).toBe(2);
    expect(lines).toEqual([
      'cluster activate --password {{password-1}}',
      'login --username admin --role admin --password {{password-1}}',
      'user create --username alice --role crypto-user --password={{password-2}} pw',
      'user list',
    ]);
    expect(lines.join('\n')).not.toContain('admin-pass-1');
    expect(placeholdersIn(lines)).toEqual([1, 2]);
  });

  it('fills placeholders back, quoting where needed, and names a missing one', () => {
    const lines = ['login --username a --password {{password-1}}', 'x --password {{password-2}}'];
    expect(fillPasswords(lines, { 1: 'p w', 2: 'q' })).toEqual(["login --username a --password 'p w'", 'x --password q']);
    expect(() => fillPasswords(lines, { 1: 'p' })).toThrow('No value was given for password 2 ({{password-2}})');
  });
});
