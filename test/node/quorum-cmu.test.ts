import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD_COST } from '../../src/crypto/password.ts';
import { Cluster } from '../../src/cluster/cluster.ts';
import { inProcessSpawner } from '../../src/cluster/in-process-spawn.ts';
import { executeCmu, newCmuState, type CmuContext } from '../../src/cli/cmu/execute.ts';
import { SIGNED_AUTHDATA_PROMPT } from '../../src/cli/cmu/quorum-commands.ts';
import { VirtualFiles, ioOverFiles } from '../../src/cli/files.ts';
import { MemoryStorage } from '../../src/store/memory.ts';

/**
 * CMU quorum and 2FA (spec §6.3, §7.2) on a 2-HSM cluster, with signatures made by the real
 * openssl CLI exactly as the CMU docs say: `openssl dgst -sha256 -sign key.pem -out x.sig token`.
 */
const dir = mkdtempSync(join(tmpdir(), 'quorum-cmu-'));
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
const files = new VirtualFiles();
let cluster: Cluster;

function key(name: string): string {
  openssl('genrsa', '-out', `${name}.key`, '2048');
  openssl('rsa', '-in', `${name}.key`, '-pubout', '-out', `${name}.pub`);
  files.write(`${name}.pub`, readFileSync(join(dir, `${name}.pub`)));
  return name;
}

/** `openssl dgst -sha256 -sign` of a file in the virtual area; the signature lands there too. */
function dgstSign(keyName: string, path: string, out: string): void {
  writeFileSync(join(dir, 'in.bin'), files.read(path)!);
  openssl('dgst', '-sha256', '-sign', `${keyName}.key`, '-out', 'out.sig', 'in.bin');
  files.write(out, readFileSync(join(dir, 'out.sig')));
}

/** `openssl pkeyutl -sign -pkeyopt digest:sha256` of each base64 Digest of an authdata file. */
function signAuthdata(keyName: string, path: string): void {
  const file = JSON.parse(files.readText(path)!) as { PublicKey: string; Data: { Digest: string; Signature: string }[] };
  for (const entry of file.Data) {
    writeFileSync(join(dir, 'digest.bin'), Buffer.from(entry.Digest, 'base64'));
    openssl('pkeyutl', '-sign', '-pkeyopt', 'digest:sha256', '-inkey', `${keyName}.key`, '-in', 'digest.bin', '-out', 'digest.sig');
    entry.Signature = readFileSync(join(dir, 'digest.sig')).toString('base64');
  }
  file.PublicKey = readFileSync(join(dir, `${keyName}.pub`), 'utf8');
  files.write(path, JSON.stringify(file));
}

function cmu(onPrompt: (text: string) => string = () => 'y'): { ctx: CmuContext; run(line: string): Promise<string> } {
  const io = ioOverFiles(files, async (text) => onPrompt(text));
  const ctx: CmuContext = { session: cluster.openSession(), io, servers: () => cluster.hsms, state: newCmuState() };
  return { ctx, run: async (line) => (await executeCmu(line, ctx)).output };
}

let officer1: ReturnType<typeof cmu>;
beforeAll(async () => {
  cluster = await Cluster.create({ hsms: 2, seed: 'quorum-cmu', passwordCost: TEST_PASSWORD_COST, spawn: inProcessSpawner(() => new MemoryStorage()) });
  officer1 = cmu();
  await officer1.run('loginHSM PRECO admin password');
  await officer1.run('changePswd PRECO admin Admin-pw1');
  await officer1.run('logoutHSM');
  expect(await officer1.run('loginHSM CO admin Admin-pw1')).toContain('loginHSM success on server 0');
  for (const name of ['officer2', 'officer3']) expect(await officer1.run(`createUser CO ${name} Passw0rd!`)).toContain('createUser success');
  await officer1.run('createUser CU doomed Passw0rd!');
  for (const name of ['admin', 'officer2', 'officer3']) key(name);
});

describe('CMU quorum with openssl dgst signatures', () => {
  it('registers keys, sets M, refuses deleteUser without approval, accepts it after approveToken', async () => {
    for (const name of ['officer2', 'officer3']) {
      const o = cmu();
      expect(await o.run(`loginHSM CO ${name} Passw0rd!`)).toContain('success');
      files.write(`${name}.token`, `my registration token ${name}\n`);
      dgstSign(name, `${name}.token`, `${name}.token.sig`);
      expect(await o.run(`registerQuorumPubKey CO ${name} ${name}.token ${name}.token.sig ${name}.pub`)).toBe(
        'registerQuorumPubKey success on server 0(10.0.0.1)\nregisterQuorumPubKey success on server 1(10.0.0.2)',
      );
    }
    expect(await officer1.run('listUsers')).toMatch(/officer2\s+YES/);
    expect(await officer1.run('setMValue 3 2')).toContain('Setting M Value(2) for 3 on 2 nodes');
    expect(await officer1.run('getMValue 3')).toBe('MValue of service 3[USER_MGMT] on server 0 : [2]\nMValue of service 3[USER_MGMT] on server 1 : [2]');
    expect(await officer1.run('deleteUser CU doomed')).toContain('deleteUser failed: RET_MXN_AUTH_FAILED');

    expect(await officer1.run('getToken 3 admin admin.token')).toContain('getToken success on server 0');
    expect(await officer1.run('listTokens')).toContain('Required num of approvers : 2');
    dgstSign('officer2', 'admin.token', 'officer2.sig');
    dgstSign('officer3', 'admin.token', 'officer3.sig');
    files.write('approval.txt', [
      'Multi Token File Path = ;',
      'Token File Path = admin.token;',
      'Number of Approvals = 2;',
      'Approver Type = 2; # 2 for CO, 1 for CU',
      'Approver Name = officer2;',
      'Approval File = officer2.sig;',
      'Approver Type = 2;',
      'Approver Name = officer3;',
      'Approval File = officer3.sig;',
    ].join('\n'));
    expect(await officer1.run('approveToken approval.txt')).toContain('approveToken success');
    expect(await officer1.run('listTokens')).toContain('Current num of approvals : 2');
    expect(await officer1.run('deleteUser CU doomed')).toContain('deleteUser success on server 1');
    // the token is spent: the next protected command needs a new one
    expect(await officer1.run('createUser CU another Passw0rd!')).toContain('RET_MXN_AUTH_FAILED');
  });

  it('refuses an approval signed by the wrong key', async () => {
    await officer1.run('getToken 3 admin admin2.token');
    dgstSign('officer2', 'admin2.token', 'o2.sig');
    dgstSign('admin', 'admin2.token', 'o3.sig'); // officer3's name, admin's key
    files.write('approval2.txt', 'Token File Path = admin2.token;\nApprover Name = officer2;\nApproval File = o2.sig;\nApprover Name = officer3;\nApproval File = o3.sig;\n');
    expect(await officer1.run('approveToken approval2.txt')).toContain('success');
    expect(await officer1.run('createUser CU another Passw0rd!')).toContain('RET_MXN_AUTH_FAILED');
    expect(await officer1.run('delToken')).toContain('delToken success');
    expect(await officer1.run('listTokens')).toContain('No tokens');
  });
});

describe('CMU 2FA with openssl-signed authdata', () => {
  it('rotates a CO onto 2FA with changePswd -2fa; login then needs -2fa with the right key', async () => {
    const o2 = cmu((text) => {
      if (text !== SIGNED_AUTHDATA_PROMPT) return 'y';
      signAuthdata('officer2', 'o2-auth.json');
      return ''; // same file
    });
    await o2.run('loginHSM CO officer2 Passw0rd!');
    expect(await o2.run('changePswd CO officer2 Passw0rd2 -2fa o2-auth.json')).toContain('changePswd success');
    expect((JSON.parse(files.readText('o2-auth.json')!) as { Data: unknown[] }).Data).toHaveLength(2);
    expect(await o2.run('listUsers')).toMatch(/officer2\s+YES\s+0\s+YES/);
    await o2.run('logoutHSM');

    expect(await cmu().run('loginHSM CO officer2 Passw0rd2')).toContain('loginHSM failed');
    const wrong = cmu((text) => {
      if (text !== SIGNED_AUTHDATA_PROMPT) return 'y';
      signAuthdata('officer3', 'login.json');
      return '';
    });
    expect(await wrong.run('loginHSM CO officer2 Passw0rd2 -2fa login.json')).toContain('loginHSM failed');
    const right = cmu((text) => {
      if (text !== SIGNED_AUTHDATA_PROMPT) return 'y';
      signAuthdata('officer2', 'login.json');
      return '';
    });
    expect(await right.run('loginHSM CO officer2 Passw0rd2 -2fa login.json')).toBe('loginHSM success on server 0(10.0.0.1)\nloginHSM success on server 1(10.0.0.2)');
  });
});

describe('CMU 2FA rules (spec §7.2)', () => {
  it('is for crypto officers only: -2fa with a CU is refused before anything is asked or sent', async () => {
    const prompts: string[] = [];
    const o = cmu((text) => {
      prompts.push(text);
      return 'y';
    });
    await o.run('loginHSM CO admin Admin-pw1');
    prompts.length = 0;
    for (const [line, command] of [
      ['createUser CU twofa Passw0rd! -2fa cu.json', 'createUser'],
      ['changePswd CU twofa Passw0rd! -2fa cu.json', 'changePswd'],
      ['loginHSM CU twofa Passw0rd! -2fa cu.json', 'loginHSM'],
    ] as const) {
      expect(await o.run(line)).toBe(`${command} failed: RET_INVALID_INPUT\n(-2fa is available for crypto officers (CO) only, not for CU users)`);
    }
    expect(prompts).toEqual([]);
    expect(files.read('cu.json')).toBeUndefined();
    expect(await o.run('listUsers')).not.toContain('twofa');
  });

  it('-2fa for a user without 2FA: the prompt appears, the unsigned file is ignored, the login succeeds', async () => {
    const prompts: string[] = [];
    const o = cmu((text) => {
      prompts.push(text);
      return '';
    });
    expect(await o.run('loginHSM CO officer3 Passw0rd! -2fa o3-login.json')).toBe('loginHSM success on server 0(10.0.0.1)\nloginHSM success on server 1(10.0.0.2)');
    expect(prompts).toEqual([SIGNED_AUTHDATA_PROMPT]);
    expect((JSON.parse(files.readText('o3-login.json')!) as { Data: { Signature: string }[] }).Data.map((d) => d.Signature)).toEqual(['', '']);
  });

  it('an unsigned file for a 2FA user is reported precisely', async () => {
    const o = cmu(() => '');
    const out = await o.run('loginHSM CO officer2 Passw0rd2 -2fa o2-unsigned.json');
    expect(out).toBe('Error: Authdata file \'o2-unsigned.json\': Data[0] needs its Digest signed (fill in "Signature")');
  });

  it('registerQuorumPubKey is not possible for a 2FA user; changePswd without -2fa removes 2FA (and its quorum key)', async () => {
    const o2 = cmu((text) => {
      if (text !== SIGNED_AUTHDATA_PROMPT) return 'y';
      signAuthdata('officer2', 'o2-login.json');
      return '';
    });
    expect(await o2.run('loginHSM CO officer2 Passw0rd2 -2fa o2-login.json')).toContain('loginHSM success on server 1');
    files.write('o2-again.token', 'another registration\n');
    dgstSign('officer2', 'o2-again.token', 'o2-again.sig');
    const refused = await o2.run('registerQuorumPubKey CO officer2 o2-again.token o2-again.sig officer2.pub');
    expect(refused).toContain('registerQuorumPubKey failed');
    expect(refused).toContain('officer2 uses 2FA: rotate the key with changePswd -2fa instead of registerQuorumPubKey');

    expect(await o2.run('changePswd CO officer2 Passw0rd3')).toContain('changePswd success on server 1');
    expect(await o2.run('listUsers')).toMatch(/officer2\s+NO\s+0\s+NO/);
    await o2.run('logoutHSM');
    expect(await cmu().run('loginHSM CO officer2 Passw0rd3')).toBe('loginHSM success on server 0(10.0.0.1)\nloginHSM success on server 1(10.0.0.2)');
  });
});

