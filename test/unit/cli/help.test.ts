/**
 * cloudhsm-cli help: the command list, groups, per-command usage with flags, roles and example.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { helpText } from '../../../src/cli/cloudhsm-cli/help-style.ts';
import { CLOUDHSM_CLI } from '../../../src/cli/cloudhsm-cli/table.ts';
import { commandName } from '../../../src/cli/machinery/spec.ts';
import { usageLine } from '../../../src/cli/machinery/help.ts';

const find = (name: string) => {
  const c = CLOUDHSM_CLI.commands.find((x) => commandName(x) === name);
  if (!c) throw new Error(name);
  return c;
};

describe('help', () => {
  it('lists every command with its one-line help', () => {
    const text = helpText([]);
    for (const c of CLOUDHSM_CLI.commands) expect(text).toContain(commandName(c));
    expect(text).toMatch(/crypto digest\s+Hash data inside the HSM \(playground extension\)/);
  });
  it('lists a group', () => {
    const text = helpText(['key', 'wrap']);
    expect(text).toContain('key wrap rsa-oaep');
    expect(text).not.toContain('key unwrap');
  });
  it('explains a command: usage, flags with notes, roles, example with its JSON answer', () => {
    const text = helpText(['key', 'generate-symmetric', 'aes'], find('key generate-symmetric aes'));
    expect(text).toContain('Usage: key generate-symmetric aes --label <LABEL> --key-length-bytes <KEY_LENGTH_BYTES> [OPTIONS]');
    expect(text).toMatch(/--key-length-bytes <KEY_LENGTH_BYTES>\s+Key length: 16, 24 or 32 \[required; range: 16–32\]/);
    expect(text).toContain('--cluster-id <CLUSTER_ID>');
    expect(text).toContain('Roles: crypto-user');
    expect(text).toContain('  aws-cloudhsm > key generate-symmetric aes --label example-aes --key-length-bytes 32');
    expect(text).toContain('    "error_code": 0,');
  });
  it('shows exclusive groups in usage and the appliance password in login help', () => {
    expect(usageLine(find('crypto digest'))).toBe('crypto digest --hash-function <HASH_FUNCTION> (--data <B64> | --data-path <PATH>)');
    expect(helpText(['login'], find('login'))).toContain("app_user, whose password is 'password'");
  });
  it('help login shows the mfa-token-sign form after the flags, and the subcommand with its summary', () => {
    const text = helpText(['login'], find('login'));
    expect(text).toContain('Usage: login --username <USERNAME> --role <ROLE> [OPTIONS]\n       login --username <USERNAME> --role <ROLE> mfa-token-sign --token <TOKEN> [OPTIONS]');
    expect(text).toMatch(/Subcommands \(written after the command or after its flags\):\n {2}mfa-token-sign\s+Log in with MFA.*\(help login mfa-token-sign\)/);
    expect(helpText(['key', 'list'], find('key list'))).not.toContain('Subcommands');
  });
});
