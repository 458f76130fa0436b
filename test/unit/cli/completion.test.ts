/**
 * Tab completion for cloudhsm-cli lines: top-level words, subcommands, flags not yet given, enum
 * values, the cursor position, and subcommands written after a parent's flags.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { completeCommand } from '../../../src/cli/cloudhsm-cli/execute.ts';

describe('completion', () => {
  it('completes top-level words, including help', () => {
    expect(completeCommand('').candidates).toEqual(['cluster', 'crypto', 'help', 'key', 'login', 'logout', 'quit', 'quorum', 'user']);
    expect(completeCommand('lo')).toEqual({ start: 0, candidates: ['login', 'logout'] });
  });
  it('completes subcommands', () => {
    expect(completeCommand('key generate-s')).toEqual({ start: 4, candidates: ['generate-symmetric'] });
    expect(completeCommand('key generate-symmetric ').candidates).toEqual(['aes', 'generic-secret']);
    expect(completeCommand('help key w').candidates).toEqual(['wrap']);
  });
  it('completes flags not yet given, keeping multi-value ones', () => {
    const c = completeCommand('key list --verbose --');
    expect(c.candidates).toEqual(['--cluster-id', '--filter', '--help', '--max-items', '--starting-token']);
    expect(c.start).toBe(19);
  });
  it('completes enum values', () => {
    expect(completeCommand('login --role ').candidates).toEqual(['admin', 'appliance', 'crypto-user']);
    expect(completeCommand('crypto sign ecdsa --hash-function sha2').candidates).toEqual(['sha224', 'sha256']);
  });
  it('offers nothing while a free value is being typed, and honours the cursor', () => {
    expect(completeCommand('key list --filter attr.la').candidates).toEqual([]);
    expect(completeCommand('key li --verbose', 6)).toEqual({ start: 4, candidates: ['list'] });
  });
  it("offers a command's flags and its subcommands together, and the subcommand after the flags (login mfa-token-sign)", () => {
    expect(completeCommand('login ').candidates).toEqual(['--cluster-id', '--help', '--password', '--role', '--username', 'mfa-token-sign']);
    expect(completeCommand('login --username cu1 --role crypto-user ').candidates).toEqual(['--cluster-id', '--help', '--password', 'mfa-token-sign']);
    expect(completeCommand('login --username cu1 --role crypto-user m').candidates).toEqual(['mfa-token-sign']);
    expect(completeCommand('login --').candidates).toEqual(['--cluster-id', '--help', '--password', '--role', '--username']);
  });
  it("completes the flags of a subcommand written after its parent's flags", () => {
    expect(completeCommand('login --username cu1 --role crypto-user mfa-token-sign ').candidates).toEqual(['--cluster-id', '--help', '--password', '--token']);
    expect(completeCommand('login mfa-token-sign --token f ').candidates).toEqual(['--cluster-id', '--help', '--password', '--role', '--username']);
    // a word that is a flag's value is not read as the subcommand
    expect(completeCommand('login --username mfa-token-sign ').candidates).toEqual(['--cluster-id', '--help', '--password', '--role', 'mfa-token-sign']);
  });
});
