/**
 * cloudhsm_mgmt_util: every command's documented output (spec §8) with its per-server lines and
 * CAUTION banner, refusals per user type, the permission table (spec §2.2) generated from POLICY
 * and each command's role rule for PRECO, CO, CU, AU and no login, and completion.
 * @module
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../src/hsm/policy.ts';
import { completeCmu, executeCmu } from '../../../src/cli/cmu/execute.ts';
import { CAUTION_BANNER } from '../../../src/cli/cmu/run.ts';
import { CMU } from '../../../src/cli/cmu/table.ts';
import { ADMIN_PW, buildWorld, cmuContext, CU_PW, isPolicyRefusal, ROLE_CREDENTIALS, ROLES_UNDER_TEST, ruleAllows, sessionAs, type LegacyWorld } from './cmu-kmu-world.ts';

let world: LegacyWorld;
let fresh = 0;

/** A crypto user nobody uses, for deleteUser. */
async function freshUser(): Promise<string> {
  const name = `gone${fresh++}`;
  const r = await executeCmu(`createUser CU ${name} ${CU_PW}`, world.admin);
  if (r.error_code !== 0) throw new Error(r.output);
  return name;
}

interface Case {
  line(role: Role): Promise<string> | string;
  /** Lines of the documented answer for the case's natural role; `%s` = every server `N(ip)`. */
  documented: readonly string[];
  /** Who runs the documented example. */
  as: Role;
  /** Runs in server mode on server 0. */
  serverMode?: boolean;
}

const self = (role: Role) => (role === 'unauthenticated' ? { type: 'CU', username: 'carol', password: CU_PW } : ROLE_CREDENTIALS[role]);
const k = () => world.keys;

const CASES: Record<string, Case> = {
  loginHSM: { line: () => `loginHSM CU bob ${CU_PW}`, documented: ['loginHSM success on server %s'], as: 'unauthenticated' },
  logoutHSM: { line: () => 'logoutHSM', documented: ['logoutHSM success on server %s'], as: 'crypto-user' },
  createUser: { line: () => `createUser CU new${fresh++} ${CU_PW}`, documented: ['createUser success on server %s'], as: 'admin' },
  deleteUser: { line: async () => `deleteUser CU ${await freshUser()}`, documented: ['deleteUser success on server %s'], as: 'admin' },
  changePswd: {
    line: (role) => `changePswd ${self(role).type} ${self(role).username} ${self(role).password}`,
    documented: ['Changing password for admin(CO) on 2 nodes', 'changePswd success on server %s'],
    as: 'admin',
  },
  listUsers: { line: () => 'listUsers', documented: ['Users on server %s:', 'Number of users found:', '    3            CU           alice'], as: 'unauthenticated' },
  'info server': { line: () => 'info server 0', documented: ['Id\tName\tHostname\tPort\tState\tPartition\tLoginState'], as: 'crypto-user' },
  getHSMInfo: { line: () => 'getHSMInfo', documented: ['Getting HSM Info on 2 nodes', '\t\t*** Server 0 HSM Info ***', '\tLabel                :cavium'], as: 'unauthenticated' },
  listAttributes: { line: () => 'listAttributes', documented: ['OBJ_ATTR_DECRYPT', '= 261'], as: 'unauthenticated' },
  getKeyInfo: { line: () => `getKeyInfo -k ${k().aes}`, documented: ['Key Info on server %s:', '\tToken Key,', '\tOwned by user 3'], as: 'crypto-user' },
  getAttribute: { line: () => `getAttribute ${k().aes} 261`, documented: ['Attribute Value on server %s:\nOBJ_ATTR_DECRYPT\n0x00000001'], as: 'crypto-user' },
  setAttribute: {
    line: (role) => (role === 'admin' ? `setAttribute ${k().aes} 134 1` : `setAttribute ${k().aes} 3 wrapping`),
    documented: ['setAttribute success on server %s'],
    as: 'crypto-user',
  },
  shareKey: { line: (role) => `shareKey ${k().priv} ${role === 'unactivated-admin' ? 1 : 5} 1`, documented: ['shareKey success on server %s'], as: 'crypto-user' },
  findAllKeys: { line: (role) => `findAllKeys ${role === 'unactivated-admin' ? 1 : 3} 1`, documented: ['Keys on server %s:', 'Number of keys found ', 'Key Hash:', 'findAllKeys success on server %s'], as: 'admin' },
  syncKey: { line: () => `syncKey ${k().aes} 1`, documented: ['ExtractMaskedObject: 0x0 !', 'InsertMaskedObject: 0x0 !', 'syncKey success'], as: 'crypto-user', serverMode: true },
  syncUser: { line: () => 'syncUser 3 1', documented: ['ExtractMaskedObject: 0x0 !', 'syncUser success'], as: 'admin', serverMode: true },
  server: { line: () => 'server 1', documented: ["Server is in 'E2' mode..."], as: 'unauthenticated' },
  exit: { line: () => 'exit', documented: [], as: 'unauthenticated' },
  // quorum and 2FA (issue 8; more in test/node/quorum-cmu.test.ts)
  registerQuorumPubKey: {
    line: (role) => {
      const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      world.files.write('reg.token', 'a token of my own');
      world.files.write('reg.token.sig', new Uint8Array(sign('sha256', Buffer.from('a token of my own'), privateKey)));
      world.files.write('reg.pub', publicKey.export({ type: 'spki', format: 'pem' }).toString());
      return `registerQuorumPubKey CO ${self(role).username} reg.token reg.token.sig reg.pub`;
    },
    documented: ['registerQuorumPubKey success on server %s'],
    as: 'admin',
  },
  getToken: { line: (role) => `getToken 3 ${self(role).username} cmu-${role}.token`, documented: ['getToken success on server %s'], as: 'admin' },
  approveToken: {
    line: () => {
      world.files.write('any.token', 'token bytes');
      world.files.write('any.sig', new Uint8Array(256));
      world.files.write('approval.txt', 'Token File Path = any.token;\nApprover Type = 2;\nApprover Name = admin;\nApproval File = any.sig;\n');
      return 'approveToken approval.txt';
    },
    documented: ['approveToken success on server %s'],
    as: 'admin',
  },
  listTokens: { line: () => 'listTokens', documented: ['Listing Tokens on server %s'], as: 'admin' },
  getMValue: { line: () => 'getMValue 3', documented: ['MValue of service 3[USER_MGMT] on server 0 : [1]'], as: 'unauthenticated' },
  setMValue: { line: () => 'setMValue 4 1', documented: ['Setting M Value(1) for 4 on 2 nodes', 'setMValue success on server %s'], as: 'admin' },
  delToken: { line: () => 'delToken', documented: ['delToken success on server %s'], as: 'admin' },
  quit: { line: () => 'quit', documented: [], as: 'unauthenticated' },
};

beforeAll(async () => {
  world = await buildWorld('cmu-tests');
}, 60_000);

describe('CMU command table', () => {
  it('has a documented case for every command', () => {
    expect(CMU.commands.map((c) => c.path.join(' ')).sort()).toEqual(Object.keys(CASES).sort());
  });

  it.each(Object.keys(CASES))('%s prints its documented lines', async (name) => {
    const c = CASES[name]!;
    const { cluster, session } = await sessionAs(world, c.as, `doc-${name}`);
    const ctx = cmuContext(world, cluster, session, c.serverMode ? 0 : undefined);
    const result = await executeCmu(await c.line(c.as), ctx);
    expect(result.error_code, result.output).toBe(0);
    const servers = c.serverMode ? cluster.hsms.slice(0, 1) : cluster.hsms;
    for (const line of c.documented) {
      if (line.includes('%s')) for (const s of servers) expect(result.output, result.output).toContain(line.replace('%s', `${s.index}(${s.ip})`));
      else expect(result.output, result.output).toContain(line);
    }
  }, 30_000);

  it('write commands show the CAUTION banner and do nothing on n', async () => {
    const before = world.prompts.length;
    const answersNo = cmuContext({ io: { ...world.io, prompt: async (text) => (world.prompts.push(text), 'n') } }, world.cluster, world.admin.session);
    const r = await executeCmu(`createUser CU never ${CU_PW}`, answersNo);
    expect(world.prompts[before]).toBe(CAUTION_BANNER);
    expect(r.output).toBe('');
    expect((await executeCmu('listUsers', world.admin)).output).not.toContain('never');
  });
});

describe('CMU refusals per user type', () => {
  it('a CU cannot create users, a CO cannot share keys, nobody logged in cannot change passwords', async () => {
    const cu = await sessionAs(world, 'crypto-user', 'r1');
    const r1 = await executeCmu(`createUser CU x ${CU_PW}`, cmuContext(world, cu.cluster, cu.session));
    expect(r1.output).toMatch(/^createUser failed: RET_\w+ on server 0\(/);
    expect(r1.output).toContain('Permission denied: only an admin may create users');
    const r2 = await executeCmu(`shareKey ${world.keys.aes} 4 1`, world.admin);
    expect(r2.output).toContain('Permission denied: only a crypto user may share keys');
    const none = cmuContext(world, world.cluster, world.cluster.openSession());
    expect((await executeCmu(`changePswd CU bob ${CU_PW}`, none)).output).toContain('RET_USER_NOT_LOGGED_IN');
  });

  it('a refusal by user type reads as such, not as "Key Access is denied" ', async () => {
    const cu = await sessionAs(world, 'crypto-user', 'r-codes');
    const ctx = cmuContext(world, cu.cluster, cu.session);
    const create = await executeCmu(`createUser CU y ${CU_PW}`, ctx);
    expect(create.output).toMatch(/^createUser failed: RET_USER_NOT_PERMITTED on server 0\(/);
    expect(create.output).not.toContain('RET_KEY_ACCESS_DENIED');
    const again = await executeCmu(`loginHSM CU ${ROLE_CREDENTIALS['crypto-user'].username} ${CU_PW}`, ctx);
    expect(again.output).toMatch(/^loginHSM failed: RET_USER_ALREADY_LOGGED_IN on server 0\(/);
    // (a shared user deleting a key still reads 0xc6: test/node/legacy-scenario.test.ts)
  });

  it('getToken refuses another user\'s name and an unwritable file, making no token on the HSM', async () => {
    const co = await sessionAs(world, 'admin', 'gettoken');
    const ctx = cmuContext(world, co.cluster, co.session);
    const other = await executeCmu('getToken 3 bob bob.token', ctx);
    expect(other.output).toBe('getToken failed: RET_INVALID_INPUT\n(you are logged in as admin: get a token of your own)');
    const unwritable = await executeCmu('getToken 3 admin ../outside.token', ctx);
    expect(unwritable.error_code).toBe(1);
    expect(unwritable.output).toContain('getToken failed: RET_INVALID_INPUT');
    expect(unwritable.output).toContain("'..' is not allowed");
    expect((await executeCmu('listTokens', ctx)).output).not.toContain('Token 1:');
    expect(world.files.read('bob.token')).toBeUndefined();
  });

  it('passwords of 7 characters are accepted (legacy minimum), 6 are refused by the HSM', async () => {
    expect((await executeCmu('createUser CU seven Seven77', world.admin)).error_code).toBe(0);
    const six = await executeCmu('createUser CU six Six666', world.admin);
    expect(six.output).toContain('createUser failed: RET_INVALID_INPUT');
    expect(six.output).toContain('password must be 7 to 32 characters, got 6');
  });

  it('listUsers shows the HSM user ids: deleted ids are not reused', async () => {
    const name = await freshUser();
    const id = Number(new RegExp(`^\\s+(\\d+)\\s+CU\\s+${name}`, 'm').exec((await executeCmu('listUsers', world.admin)).output)?.[1]);
    await executeCmu(`deleteUser CU ${name}`, world.admin);
    const next = await freshUser();
    const nextId = Number(new RegExp(`^\\s+(\\d+)\\s+CU\\s+${next}`, 'm').exec((await executeCmu('listUsers', world.admin)).output)?.[1]);
    expect(nextId).toBe(id + 1);
  });

  it('rejects a wrong user type before asking anything', async () => {
    const r = await executeCmu(`loginHSM XX admin ${ADMIN_PW}`, cmuContext(world, world.cluster, world.cluster.openSession()));
    expect(r.output).toContain("invalid user type 'XX'");
  });
});

describe('CMU permission table (generated from POLICY and the command rules)', () => {
  // syncUser: the HSM's own user-extraction rule (admins and the appliance user) is not a POLICY row; see report.
  const pairs = CMU.commands.filter((c) => c.roles !== 'everyone' && c.path[0] !== 'syncUser').flatMap((c) => ROLES_UNDER_TEST.map((role) => [c.path.join(' '), role] as const));

  it.each(pairs)('%s as %s', async (name, role) => {
    const command = CMU.commands.find((c) => c.path.join(' ') === name)!;
    const c = CASES[name]!;
    const { cluster, session } = await sessionAs(world, role, `perm-${name}-${role}`);
    const line = await c.line(role);
    const result = await executeCmu(line, cmuContext(world, cluster, session, c.serverMode ? 0 : undefined));
    expect(isPolicyRefusal(result.output), `${line}\n${result.output}`).toBe(!ruleAllows(command.roles, role));
    if (cluster !== world.cluster) cluster.dispose();
  }, 30_000);
});

describe('CMU completion', () => {
  it('completes command words and unique prefixes', () => {
    expect(completeCmu('get').candidates).toEqual(['getAttribute', 'getHSMInfo', 'getKeyInfo', 'getMValue', 'getToken']);
    expect(completeCmu('listU')).toEqual({ start: 0, candidates: ['listUsers'] });
    expect(completeCmu('info ').candidates).toEqual(['server']);
  });
  it('offers single-dash flags only after a dash; bare words are free values', () => {
    expect(completeCmu('loginHSM CO admin ').candidates).toEqual([]);
    expect(completeCmu('loginHSM CO admin -').candidates).toEqual(['-2fa', '-h', '-hpswd']);
    expect(completeCmu('loginHSM CO admin -hpswd -').candidates).toEqual(['-2fa', '-h']);
  });
});
