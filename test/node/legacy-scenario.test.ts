/** Issue 7 scenario: activate with CMU, a CU works with KMU, shares with CMU, cloudhsm-cli sees the same key; masked objects stay in their cluster. */
import { createPublicKey, verify } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster.ts';
import { inProcessSpawner } from '../../src/cluster/in-process-spawn.ts';
import { MemoryStorage } from '../../src/store/memory.ts';
import { VirtualFiles, ioOverFiles } from '../../src/cli/files.ts';
import { executeCmu, newCmuState, cmuPrompt, type CmuContext } from '../../src/cli/cmu/execute.ts';
import { executeKmu, type KmuContext } from '../../src/cli/kmu/execute.ts';
import { execute } from '../../src/cli/cloudhsm-cli/execute.ts';

describe('CMU + KMU + cloudhsm-cli on one cluster', () => {
  const files = new VirtualFiles();
  const answers: string[] = [];
  const prompts: string[] = [];
  const io = ioOverFiles(files, async (text) => {
    prompts.push(text);
    return answers.shift() ?? 'n';
  });
  let cluster: Cluster;
  let cmu: CmuContext;
  let kmu: KmuContext;

  beforeAll(async () => {
    cluster = await Cluster.create({ hsms: 2, seed: 'legacy-scenario', spawn: inProcessSpawner(() => new MemoryStorage()) });
    const servers = () => cluster.hsms;
    cmu = { session: cluster.openSession(), io, servers, state: newCmuState() };
    kmu = { session: cluster.openSession(), io, servers };
  });

  it('activates with loginHSM PRECO + changePswd (after an invalid answer and y), then creates a CU', async () => {
    const login = await executeCmu('loginHSM PRECO admin password', cmu);
    const ips = cluster.hsms.map((h) => h.ip);
    expect(login.output).toBe(ips.map((ip, i) => `loginHSM success on server ${i}(${ip})`).join('\n'));
    answers.push('maybe', 'y');
    const change = await executeCmu('changePswd PRECO admin N3wPassw0rd', cmu);
    expect(prompts.at(-2)).toContain('*************************CAUTION********************************');
    expect(prompts.at(-1)).toBe("Invalid option, please type 'y' or 'n'\nDo you want to continue(y/n)?");
    expect(change.output.split('\n')[0]).toBe('Changing password for admin(PRECO) on 2 nodes');
    expect(change.output).toContain(`changePswd success on server 1(${ips[1]})`);
    expect((await executeCmu('logoutHSM', cmu)).error_code).toBe(0);
    expect((await executeCmu('loginHSM CO admin N3wPassw0rd', cmu)).error_code).toBe(0);
    answers.push('y');
    const created = await executeCmu('createUser CU alice Passw0rd!', cmu);
    expect(created.output).toMatch(/^Creating User alice\(CU\) on 2 nodes\ncreateUser success on server 0/);
    answers.push('y');
    expect((await executeCmu('createUser CU bob Passw0rd!', cmu)).error_code).toBe(0);
    const list = await executeCmu('listU', cmu);
    expect(list.output).toMatch(/3\s+CU\s+alice/);
    expect(list.output).toMatch(/1\s+CO\s+admin/);
    expect(list.output).toMatch(/2\s+AU\s+app_user/);
  });

  it('refuses a non-CU KMU login with 0xdb and a CO key generation by policy', async () => {
    const bad = await executeKmu('loginHSM -u CO -s admin -p N3wPassw0rd', kmu);
    expect(bad.output).toContain('Cfm3LoginHSM returned: 0xdb : HSM Error: Invalid User Type');
    expect(bad.error_code).toBe(1);
    const notLoggedIn = await executeKmu('genSymKey -t 31 -s 16 -l k', kmu);
    expect(notLoggedIn.output).toContain('returned: 0xa4');
  });

  it('a CU generates, signs, extracts with KMU; shares with CMU; cloudhsm-cli sees the same key', async () => {
    const login = await executeKmu('loginHSM -u CU -s alice -p Passw0rd!', kmu);
    expect(login.output).toContain('Cfm3LoginHSM returned: 0x00 : HSM Return: SUCCESS');
    expect(login.output).toContain('Node id 1 and err state 0x00000000 : HSM Return: SUCCESS');
    const pair = await executeKmu('genECCKeyPair -i 2 -l ec-pair', kmu);
    const m = /public key handle: (\d+)\s+private key handle: (\d+)/.exec(pair.output);
    expect(m, pair.output).not.toBeNull();
    const [pub, priv] = [Number(m![1]), Number(m![2])];
    expect((await executeKmu('genECCKeyPair -i 1 -l weak', kmu)).output).toContain('0xb3 : HSM Error: This operation violates the current configured/FIPS policies');
    files.write('msg.txt', 'hello legacy');
    expect((await executeKmu(`sign -f msg.txt -k ${priv} -m 17 -out msg.sig`, kmu)).output).toContain('signature is written to file msg.sig');
    expect((await executeKmu(`verify -f msg.txt -s msg.sig -k ${pub} -m 17`, kmu)).output).toContain('Signature verification successful');
    files.write('other.txt', 'tampered');
    const bad = await executeKmu(`verify -f other.txt -s msg.sig -k ${pub} -m 17`, kmu);
    expect(bad.output).toContain('Cfm3Verify returned: 0x1b : CSP Error: ERR_BAD_PKCS_DATA');
    expect((await executeKmu(`exportPubKey -k ${pub} -out pub.pem`, kmu)).error_code).toBe(0);
    const ok = verify('sha256', Buffer.from('hello legacy'), { key: createPublicKey(files.readText('pub.pem')!), dsaEncoding: 'ieee-p1363' }, Buffer.from(files.read('msg.sig')!));
    expect(ok).toBe(true);
    expect((await executeKmu(`extractMaskedObject -o ${priv} -out masked.obj`, kmu)).output).toContain('Object was masked and written to file "masked.obj"');

    // CMU shareKey as the CU (user id of bob = 4)
    await executeCmu('logoutHSM', cmu);
    expect((await executeCmu('loginHSM CU alice Passw0rd!', cmu)).error_code).toBe(0);
    answers.push('y');
    const shared = await executeCmu(`shareKey ${priv} 4 1`, cmu);
    expect(shared.output, shared.output).toContain('shareKey success on server 0');
    const info = await executeCmu(`getKeyInfo -k ${priv}`, cmu);
    expect(info.output).toContain('Owned by user 3');
    expect(info.output).toContain('also, shared to following 1 user(s):');
    expect((await executeCmu(`getAttribute ${priv} 264`, cmu)).output).toContain('OBJ_ATTR_SIGN\n0x00000001');

    // cloudhsm-cli sees the same key, with the same attributes
    const cli = { session: cluster.openSession(), io };
    await execute('login --username alice --role crypto-user --password Passw0rd!', cli);
    const listed = JSON.parse((await execute(`key list --filter key-reference=${priv} --verbose`, cli)).output) as { data: { matched_keys: { 'key-info': { 'shared-users': { username: string }[] }; attributes: Record<string, unknown> }[] } };
    const key = listed.data.matched_keys[0]!;
    expect(key.attributes).toMatchObject({ label: 'ec-pair', class: 'private-key', sign: true, curve: 'prime256v1' });
    expect(key['key-info']['shared-users'].map((u) => u.username)).toEqual(['bob']);

    // the masked object inserts into the same cluster (new handle) and is refused elsewhere
    const inserted = await executeKmu('insertMaskedObject -f masked.obj', kmu);
    const handle = Number(/New Key Handle: (\d+)/.exec(inserted.output)?.[1]);
    expect(handle).toBeGreaterThan(0);
    expect(handle).not.toBe(priv);
    const other = await Cluster.create({ hsms: 1, seed: 'unrelated', spawn: inProcessSpawner(() => new MemoryStorage()) });
    const otherKmu: KmuContext = { session: other.openSession(), io, servers: () => other.hsms };
    await execute('cluster activate --password Passw0rd!', { session: otherKmu.session, io });
    await execute('login --username admin --role admin --password Passw0rd!', { session: otherKmu.session, io });
    await execute('user create --username alice --role crypto-user --password Passw0rd!', { session: otherKmu.session, io });
    await execute('logout', { session: otherKmu.session, io });
    await executeKmu('loginHSM -u CU -s alice -p Passw0rd!', otherKmu);
    const refused = await executeKmu('insertMaskedObject -f masked.obj', otherKmu);
    expect(refused.error_code).toBe(1);
    expect(refused.output).toContain('Cfm3InsertMaskedObject returned: 0xb0');
    other.dispose();
  });

  it('reports 0xa8 for an unknown handle and 0xc6 when a shared user deletes', async () => {
    expect((await executeKmu('deleteKey -k 999999', kmu)).output).toContain('0xa8 : HSM Error: Invalid object handle is passed to this operation');
    const bobKmu: KmuContext = { session: cluster.openSession(), io, servers: () => cluster.hsms };
    await executeKmu('loginHSM -u CU -s bob -p Passw0rd!', bobKmu);
    const found = await executeKmu('findKey -l ec-pair -c 3', bobKmu);
    const handle = /\t(\d+)\n/.exec(found.output)?.[1];
    expect(handle, found.output).toBeDefined();
    expect((await executeKmu(`deleteKey -k ${handle}`, bobKmu)).output).toContain('0xc6 : HSM Error: Key Access is denied');
  });

  it('enters and leaves server mode', async () => {
    expect((await executeCmu('server 1', cmu)).output).toBe("Server is in 'E2' mode...");
    expect(cmuPrompt(cmu.state)).toBe('server1>');
    const list = await executeCmu('listUsers', cmu);
    expect(list.output).not.toContain('server 0(');
    expect(await executeCmu('exit', cmu)).toMatchObject({ error_code: 0 });
    expect(cmuPrompt(cmu.state)).toBe('aws-cloudhsm>');
  });
});
