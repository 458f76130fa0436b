/**
 * The cloudhsm-cli command table: every documented command present once, playground extensions marked,
 * every example parsing to its command and building a request of its op, and requests built from flags.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { POLICY, ROLES, isAllowed } from '../../../src/hsm/policy.ts';
import { parseLine } from '../../../src/cli/machinery/parser.ts';
import { commandName, flagsOf } from '../../../src/cli/machinery/spec.ts';
import { commandOps, commandRoles, type AnyRequestPlan } from '../../../src/cli/cloudhsm-cli/command.ts';
import { CLOUDHSM_CLI } from '../../../src/cli/cloudhsm-cli/table.ts';
import { VirtualFiles } from '../../../src/cli/files.ts';
import { scriptedIo } from './helpers.ts';

const commands = CLOUDHSM_CLI.commands;
const names = commands.map(commandName);

/** The commands issues 5 and 8 list, expanded. */
const REQUIRED = [
  'cluster activate', 'cluster hsm-info', 'login', 'logout', 'quit',
  'user create', 'user delete', 'user list', 'user change-password', 'user replicate',
  'key generate-symmetric aes', 'key generate-symmetric generic-secret', 'key generate-asymmetric-pair ec', 'key generate-asymmetric-pair rsa',
  'key list', 'key share', 'key unshare', 'key delete', 'key set-attribute', 'key replicate', 'key import pem', 'key generate-file',
  ...['aes-gcm', 'cloudhsm-aes-gcm', 'aes-no-pad', 'aes-pkcs5-pad', 'aes-zero-pad', 'rsa-aes', 'rsa-oaep', 'rsa-pkcs'].flatMap((m) => [`key wrap ${m}`, `key unwrap ${m}`]),
  ...['ecdsa', 'rsa-pkcs', 'rsa-pkcs-pss'].flatMap((m) => [`crypto sign ${m}`, `crypto verify ${m}`]),
  'crypto mac generate hmac', 'crypto mac verify hmac',
  ...['aes-gcm', 'aes-cbc', 'aes-ctr'].flatMap((m) => [`crypto encrypt ${m}`, `crypto decrypt ${m}`]),
  'crypto digest',
  // issue 8: quorum authentication and MFA
  ...['generate', 'list', 'list-quorum-values', 'list-timeouts', 'set-quorum-value', 'set-timeout', 'delete'].map((c) => `quorum token-sign ${c}`),
  'user change-quorum token-sign register', 'user change-mfa token-sign', 'login mfa-token-sign',
];

function ioWithAnyFile() {
  const files = new VirtualFiles();
  for (const path of ['ec-public.pem', 'data.bin', 'sig.bin']) files.write(path, '-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----\n');
  return scriptedIo(['Passw0rd!', 'Passw0rd!'], files);
}

describe('the cloudhsm-cli table', () => {
  it('has every command of issue 5, each once', () => {
    expect(names.filter((n) => !REQUIRED.includes(n))).toEqual([]);
    expect(REQUIRED.filter((n) => !names.includes(n))).toEqual([]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('marks exactly the playground extensions', () => {
    const extensions = commands.filter((c) => c.extension).map(commandName).sort();
    expect(extensions).toEqual(names.filter((n) => n.startsWith('crypto mac') || n.startsWith('crypto encrypt') || n.startsWith('crypto decrypt') || n === 'crypto digest').sort());
  });

  it.each(commands.map((c) => [commandName(c), c] as const))('%s: flags are unique, help is one line, examples exist', (_name, c) => {
    const flagNames = flagsOf(CLOUDHSM_CLI, c).map((f) => f.name);
    expect(new Set(flagNames).size).toBe(flagNames.length);
    expect(c.help).not.toContain('\n');
    expect(c.examples.length).toBeGreaterThan(0);
    for (const f of c.flags) if (f.type === 'enum') expect(f.choices?.length).toBeGreaterThan(0);
    for (const g of c.groups ?? []) for (const name of g.flags) expect(flagNames).toContain(name);
  });
});

describe('every example parses to its command and builds a request of its op', () => {
  const cases = commands.flatMap((c) => c.examples.map((ex) => [ex.line, c] as const));
  it.each(cases)('%s', async (line, c) => {
    const parsed = parseLine(CLOUDHSM_CLI, line);
    if (parsed.kind !== 'command') throw new Error(`${line}: ${parsed.kind === 'error' ? parsed.message : parsed.kind}`);
    expect(parsed.command).toBe(c);
    if (c.kind === 'request') {
      const plan: AnyRequestPlan = await c.toRequest(parsed.flags, ioWithAnyFile());
      expect(commandOps(c)).toContain(plan.op);
      expect(Object.values(plan.args).includes(undefined)).toBe(false);
    }
    const answer = c.examples.find((e) => e.line === line)?.answer;
    if (c.kind !== 'local') expect(answer).toMatchObject({ error_code: expect.any(Number), data: expect.anything() });
  });
});

describe('requests built from flags', () => {
  const plan = async (line: string) => {
    const parsed = parseLine(CLOUDHSM_CLI, line);
    if (parsed.kind !== 'command' || parsed.command.kind !== 'request') throw new Error(`not a request command: ${line}`);
    return parsed.command.toRequest(parsed.flags, ioWithAnyFile());
  };
  it('key generate-symmetric aes', async () => {
    expect(await plan('key generate-symmetric aes --label k --key-length-bytes 16 --attributes encrypt=true --share-crypto-users cu2 cu3 --use-key-quorum-value 2')).toEqual({
      op: 'key.generate-symmetric',
      args: { keyType: 'aes', label: 'k', keyLengthBytes: 16, attributes: { encrypt: 'true' }, shareCryptoUsers: ['cu2', 'cu3'], useKeyQuorumValue: 2 },
    });
  });
  it('key set-attribute becomes key.set-trusted for --name trusted only', async () => {
    expect(await plan('key set-attribute --filter attr.label=k --name trusted --value true')).toEqual({ op: 'key.set-trusted', args: { filter: ['attr.label=k'], value: 'true' } });
    expect(await plan('key set-attribute --filter attr.label=k --name encrypt --value true')).toEqual({
      op: 'key.set-attribute',
      args: { filter: ['attr.label=k'], name: 'encrypt', value: 'true' },
    });
  });
  it('key generate-asymmetric-pair rsa keeps the exponent as typed', async () => {
    expect(await plan('key generate-asymmetric-pair rsa --public-label p --private-label q --modulus-size-bits 2048 --public-exponent 0x010001 --manage-private-key-quorum-value 1')).toEqual({
      op: 'key.generate-asymmetric-pair',
      args: { keyType: 'rsa', publicLabel: 'p', privateLabel: 'q', modulusSizeBits: 2048, publicExponent: '0x010001', manageKeyQuorumValue: 1 },
    });
  });
  it('crypto sign reads --data-path from the file area', async () => {
    const files = new VirtualFiles();
    files.write('msg.bin', new Uint8Array([1, 2, 3]));
    const parsed = parseLine(CLOUDHSM_CLI, 'crypto sign rsa-pkcs-pss --key-filter attr.label=r --hash-function sha384 --data-path msg.bin --mgf mgf1-sha384 --salt-length 48');
    if (parsed.kind !== 'command' || parsed.command.kind !== 'request') throw new Error('parse');
    expect(await parsed.command.toRequest(parsed.flags, scriptedIo([], files))).toEqual({
      op: 'crypto.sign',
      args: { mechanism: 'rsa-pkcs-pss', keyFilter: ['attr.label=r'], hashFunction: 'sha384', data: new Uint8Array([1, 2, 3]), dataType: 'raw', mgf: 'sha384', saltLength: 48 },
    });
  });
  it('key unwrap aes-gcm decodes base64 data and hex iv/aad', async () => {
    expect(await plan('key unwrap aes-gcm --filter key-reference=0x2 --key-type-class aes --label u --data AAEC --iv 0x0a0b --tag-length-bits 128 --aad 0xff')).toEqual({
      op: 'key.unwrap',
      args: {
        mechanism: 'aes-gcm', filter: ['key-reference=0x2'], keyTypeClass: 'aes', label: 'u', data: new Uint8Array([0, 1, 2]),
        iv: new Uint8Array([10, 11]), tagLengthBits: 128, aad: new Uint8Array([255]),
      },
    });
  });
  it('key wrap rsa-oaep maps --mgf to a hash name', async () => {
    expect(await plan('key wrap rsa-oaep --payload-filter attr.label=a --wrapping-filter attr.label=b --hash-function sha256 --mgf mgf1-sha256')).toEqual({
      op: 'key.wrap',
      args: { mechanism: 'rsa-oaep', payloadFilter: ['attr.label=a'], wrappingFilter: ['attr.label=b'], hashFunction: 'sha256', mgf: 'sha256' },
    });
  });
  it('key import pem reads the PEM text from --path', async () => {
    const p = await plan('key import pem --path ec-public.pem --label i --key-type-class ec-public');
    expect(p).toMatchObject({ op: 'key.import-pem', args: { label: 'i', keyTypeClass: 'ec-public', pem: expect.stringContaining('BEGIN PUBLIC KEY') } });
  });
  it('a missing --data-path file rejects with the path in the message', async () => {
    await expect(plan('crypto digest --hash-function sha1 --data-path missing.bin')).rejects.toThrow('Cannot read file missing.bin: no such file');
  });
});

describe('roles come from POLICY', () => {
  it.each(commands.filter((c) => c.roles !== 'everyone').map((c) => [commandName(c), c] as const))('%s excludes every role its ops forbid', (_n, c) => {
    const roles = commandRoles(c);
    const ops = commandOps(c);
    for (const role of ROLES) {
      const rule = c.roles as { allOf?: readonly string[]; anyOf?: readonly string[] };
      const allowed = rule.allOf ? ops.every((op) => isAllowed(op, role)) : ops.some((op) => isAllowed(op, role));
      expect(roles.includes(role)).toBe(allowed);
      if (ops.every((op) => !isAllowed(op, role))) expect(roles).not.toContain(role);
    }
  });
  it('matches the spec on the commands with exceptions (§2.2, §4.5)', () => {
    const rolesOf = (name: string) => commandRoles(commands.find((c) => commandName(c) === name) ?? commands[0]!);
    expect(rolesOf('key set-attribute')).toEqual(['admin', 'crypto-user']);
    expect(rolesOf('key list')).toEqual(['admin', 'crypto-user']);
    expect(rolesOf('key replicate')).toEqual(['admin', 'crypto-user']);
    expect(rolesOf('user replicate')).toEqual(['admin']);
    expect(rolesOf('crypto sign ecdsa')).toEqual(['crypto-user']);
    expect(rolesOf('user list')).toEqual([...ROLES]);
    expect(rolesOf('user change-password')).toEqual(['unactivated-admin', 'admin', 'crypto-user', 'appliance-user']);
    expect(rolesOf('cluster activate')).toEqual(POLICY['cluster.activate'].roles);
  });
});
