/**
 * cloudhsm-cli quorum commands on a 3-HSM cluster with three admins: token signing, approval counting,
 * and precise refusals of missing, reused, logged-out or hand-damaged tokens.
 * @module
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.ts';
import { inProcessSpawner } from '../../../src/cluster/in-process-spawn.ts';
import { execute, type ExecutionContext } from '../../../src/cli/cloudhsm-cli/execute.ts';
import { PUBLIC_KEY_PROMPT, SIGNED_TOKEN_PROMPT } from '../../../src/cli/cloudhsm-cli/quorum-commands.ts';
import { VirtualFiles, ioOverFiles } from '../../../src/cli/files.ts';
import { TEST_PASSWORD_COST } from '../../../src/crypto/password.ts';
import { approveOperationTokenFile, signTokenListFile } from '../../../src/hsm/quorum/token-format.ts';
import { MemoryStorage } from '../../../src/store/memory.ts';
import { approverKey, type ApproverKey } from '../hsm/quorum-fixtures.ts';

/**
 * The quorum and MFA commands end to end through the CLI on a real 3-HSM cluster (in-process
 * HSMs): three admins each in their own session, token files in a shared file area, signed as the
 * approvers would sign them.
 */
const files = new VirtualFiles();
const KEYS: Record<string, ApproverKey> = { admin: approverKey('admin'), admin2: approverKey('admin2'), admin3: approverKey('admin3'), cu9: approverKey('cu9') };
let cluster: Cluster;

/** A terminal for one person: prompts answer from `answers`; a signed-token prompt may sign the file first. */
function terminal(onSignedTokenPrompt?: () => void, answers: string[] = []) {
  const prompts: string[] = [];
  const io = ioOverFiles(files, async (text) => {
    prompts.push(text);
    if (text === SIGNED_TOKEN_PROMPT) onSignedTokenPrompt?.();
    return answers.shift() ?? '';
  });
  const ctx: ExecutionContext = { session: cluster.openSession(), io };
  const run = async (line: string) => JSON.parse((await execute(line, ctx)).output) as { error_code: number; data: unknown };
  return { run, prompts, ctx, answers };
}
type Terminal = ReturnType<typeof terminal>;

function signList(path: string, key: ApproverKey): void {
  files.write(path, signTokenListFile(files.read(path)!, path, key.sign));
}
async function approve(path: string, username: string): Promise<void> {
  files.write(path, await approveOperationTokenFile(files.read(path)!, path, username, KEYS[username]!.sign));
}

async function register(t: Terminal, username: string): Promise<void> {
  expect((await t.run(`quorum token-sign generate --service registration --token reg-${username}.json`)).data).toEqual({ filepath: `reg-${username}.json` });
  signList(`reg-${username}.json`, KEYS[username]!);
  files.write(`${username}.pub.pem`, KEYS[username]!.publicPem);
  expect(await t.run(`user change-quorum token-sign register --public-key ${username}.pub.pem --signed-token reg-${username}.json`)).toEqual({
    error_code: 0,
    data: { username, role: 'admin' },
  });
}

let a: Terminal;
let b: Terminal;
let c: Terminal;

beforeAll(async () => {
  cluster = await Cluster.create({ hsms: 3, seed: 'quorum-cli', passwordCost: TEST_PASSWORD_COST, spawn: inProcessSpawner(() => new MemoryStorage()) });
  a = terminal();
  b = terminal();
  c = terminal();
  await a.run('cluster activate --password Passw0rd!');
  await a.run('login --username admin --role admin --password Passw0rd!');
  await a.run('user create --username admin2 --role admin --password Passw0rd!');
  await a.run('user create --username admin3 --role admin --password Passw0rd!');
  await b.run('login --username admin2 --role admin --password Passw0rd!');
  await c.run('login --username admin3 --role admin --password Passw0rd!');
  for (const [t, name] of [[a, 'admin'], [b, 'admin2'], [c, 'admin3']] as const) await register(t, name);
});

describe('quorum token-sign with three admins on a 3-HSM cluster', () => {
  it('sets the user quorum value to 2 and refuses 9', async () => {
    expect(await a.run('quorum token-sign set-quorum-value --service user --value 2')).toEqual({ error_code: 0, data: 'Set quorum value successful' });
    expect((await a.run('quorum token-sign set-quorum-value --service user --value 9')).error_code).toBe(1);
    expect(await c.run('quorum token-sign list-quorum-values')).toEqual({ error_code: 0, data: { user: 2, quorum: 1, cluster: 1 } });
    const status = await cluster.syncStatus();
    expect(status.inSync).toBe(true);
  });

  it('refuses user create without approval and with one approval; accepts two; refuses the token again on every HSM', async () => {
    expect(await a.run('user create --username cu9 --role crypto-user --password Passw0rd!')).toEqual({ error_code: 1, data: 'Quorum approval is required for this operation' });
    expect((await a.run('quorum token-sign generate --service user --token t1.json')).data).toEqual({ filepath: 't1.json' });
    const file = JSON.parse(files.readText('t1.json')!) as Record<string, unknown>;
    expect(Object.keys(file)).toEqual(['version', 'approval_data', 'token', 'signatures']);
    await approve('t1.json', 'admin2');
    expect((await a.run('user create --username cu9 --role crypto-user --password Passw0rd! --approval t1.json')).data).toBe('Quorum approval is required for this operation');
    // any admin lists the token (the approvals seen are counted by the HSM that judged them)
    expect((await b.run('quorum token-sign list')).data).toEqual({
      tokens: [expect.objectContaining({ username: 'admin', service: 'user', 'approvals-required': 2, 'token-timeout-seconds': expect.any(Number) })],
    });
    await approve('t1.json', 'admin3');
    expect(await a.run('user create --username cu9 --role crypto-user --password Passw0rd! --approval t1.json')).toEqual({ error_code: 0, data: { username: 'cu9', role: 'crypto-user' } });
    // single use: whichever HSM answers next (round robin), the token is gone
    for (const name of ['cu10', 'cu11', 'cu12']) {
      expect((await a.run(`user create --username ${name} --role crypto-user --password Passw0rd! --approval t1.json`)).data).toBe('Quorum approval is required for this operation');
    }
    expect((await a.run('quorum token-sign list')).data).toEqual({ tokens: [] });
  });

  it('refuses a token whose session logged out', async () => {
    await a.run('quorum token-sign generate --service user --token t2.json');
    await approve('t2.json', 'admin2');
    await approve('t2.json', 'admin3');
    await a.run('logout');
    await a.run('login --username admin --role admin --password Passw0rd!');
    expect((await a.run('user delete --username cu9 --role crypto-user --approval t2.json')).data).toBe('Quorum approval is required for this operation');
  });

  it('reports a hand-damaged token file precisely', async () => {
    await a.run('quorum token-sign generate --service user --token t3.json');
    files.write('t3.json', files.readText('t3.json')!.replace('"signatures": []', '"signatures": [{"username": "admin2"}]'));
    const answer = await a.run('user delete --username cu9 --role crypto-user --approval t3.json');
    expect(answer.error_code).toBe(1);
    expect(answer.data).toContain("Token file 't3.json': signatures[0].signature");
  });
});

describe('MFA token-sign through the CLI', () => {
  it('registers MFA with per-HSM tokens, then logs in only with the right signatures', async () => {
    // the password is asked for (and confirmed) when --change-password is left off, as in the real tool
    const cu = terminal(() => signList('mfa.json', KEYS['cu9']!), ['Passw0rd!', 'Passw0rd!', '', 'cu9.pub.pem']);
    files.write('cu9.pub.pem', KEYS['cu9']!.publicPem);
    await cu.run('login --username cu9 --role crypto-user --password Passw0rd!');
    expect(await cu.run('user change-mfa token-sign --username cu9 --role crypto-user --token mfa.json')).toEqual({ error_code: 0, data: { username: 'cu9', role: 'crypto-user' } });
    expect(cu.prompts).toEqual(['Enter password:', 'Confirm password:', SIGNED_TOKEN_PROMPT, PUBLIC_KEY_PROMPT]);
    const written = JSON.parse(files.readText('mfa.json')!) as { tokens: unknown[] };
    expect(written.tokens).toHaveLength(3); // one per HSM
    const users = (await cu.run('user list')).data as { users: { username: string; mfa: unknown[]; quorum: unknown[] }[] };
    expect(users.users.find((u) => u.username === 'cu9')).toMatchObject({ mfa: [{ strategy: 'token-sign', status: 'enabled' }], quorum: [{ strategy: 'token-sign', status: 'enabled' }] });
    await cu.run('logout');

    expect((await cu.run('login --username cu9 --role crypto-user --password Passw0rd!')).error_code).toBe(1);
    const wrong = terminal(() => signList('login.json', KEYS['admin']!));
    expect((await wrong.run('login --username cu9 --role crypto-user --password Passw0rd! mfa-token-sign --token login.json')).error_code).toBe(1);
    const right = terminal(() => signList('login.json', KEYS['cu9']!));
    expect(await right.run('login --username cu9 --role crypto-user --password Passw0rd! mfa-token-sign --token login.json')).toEqual({ error_code: 0, data: { username: 'cu9', role: 'crypto-user' } });
    expect(right.ctx.session.identity).toEqual({ username: 'cu9', role: 'crypto-user' });
  });
});

describe('user change-mfa token-sign --change-password / --change-quorum (spec §7.1)', () => {
  it('sets the new password with the MFA key on every HSM; --change-quorum rotates the quorum key too', async () => {
    files.write('cu8.pub.pem', KEYS['admin2']!.publicPem);
    const cu = terminal(() => signList('mfa8.json', KEYS['admin2']!), ['', 'cu8.pub.pem']);
    await a.run('quorum token-sign generate --service user --token t8.json');
    await approve('t8.json', 'admin2');
    await approve('t8.json', 'admin3');
    expect((await a.run('user create --username cu8 --role crypto-user --password Passw0rd! --approval t8.json')).error_code).toBe(0);
    await cu.run('login --username cu8 --role crypto-user --password Passw0rd!');
    const line = 'user change-mfa token-sign --username cu8 --role crypto-user --change-password N3wPassw0rd --token mfa8.json --change-quorum';
    expect(await cu.run(line)).toEqual({ error_code: 0, data: { username: 'cu8', role: 'crypto-user' } });
    expect(cu.prompts).toEqual([SIGNED_TOKEN_PROMPT, PUBLIC_KEY_PROMPT]);
    // one salted hash, copied to every HSM: the user record agrees everywhere
    expect((await cluster.syncStatus()).outOfSync['user:cu8']).toBeUndefined();
    await cu.run('logout');

    // every HSM checks the new password and the MFA signature: the old password is refused even with a valid signature
    const old = terminal(() => signList('login8.json', KEYS['admin2']!));
    expect((await old.run('login --username cu8 --role crypto-user --password Passw0rd! mfa-token-sign --token login8.json')).error_code).toBe(1);
    const fresh = terminal(() => signList('login8.json', KEYS['admin2']!));
    expect(await fresh.run('login --username cu8 --role crypto-user --password N3wPassw0rd mfa-token-sign --token login8.json')).toEqual({ error_code: 0, data: { username: 'cu8', role: 'crypto-user' } });
    expect((JSON.parse(files.readText('login8.json')!) as { tokens: unknown[] }).tokens).toHaveLength(3);
    await fresh.run('logout');
  });

  it('refuses mismatched password prompts before writing any token file', async () => {
    const cu = terminal(undefined, ['Passw0rd!', 'Other-pw1']);
    expect(await cu.run('user change-mfa token-sign --username cu8 --role crypto-user --token never2.json')).toEqual({ error_code: 1, data: 'Passwords do not match' });
    expect(files.read('never2.json')).toBeUndefined();
  });

  it('an admin deregisters a user\'s MFA with a new password (a user-service approval: quorum 2); plain login works with it', async () => {
    const line = 'user change-mfa token-sign --username cu8 --role crypto-user --deregister --change-password Reset-pw-1';
    expect(await a.run(line)).toEqual({ error_code: 1, data: 'Quorum approval is required for this operation' });
    await a.run('quorum token-sign generate --service user --token t9.json');
    await approve('t9.json', 'admin');
    await approve('t9.json', 'admin3');
    expect(await a.run(`${line} --approval t9.json`)).toEqual({
      error_code: 0,
      data: { username: 'cu8', role: 'crypto-user' },
    });
    const users = (await a.run('user list')).data as { users: { username: string; mfa: unknown[]; quorum: unknown[] }[] };
    expect(users.users.find((u) => u.username === 'cu8')).toMatchObject({ mfa: [], quorum: [] });
    const cu = terminal();
    expect(await cu.run('login --username cu8 --role crypto-user --password Reset-pw-1')).toEqual({ error_code: 0, data: { username: 'cu8', role: 'crypto-user' } });
  });
});
