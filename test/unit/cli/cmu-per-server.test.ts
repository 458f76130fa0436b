/**
 * CMU's per-server lines tell what each HSM did: on a 3-HSM cluster with HSM 2 stopped, listUsers
 * answers for servers 0 and 1 and reports server 2 unreachable; createUser succeeds on 0 and 1,
 * fails on 2, and the user reaches HSM 2 when it restarts (resync).
 * @module
 */
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD_COST } from '../../../src/crypto/password.ts';
import { Cluster } from '../../../src/cluster/cluster.ts';
import { inProcessSpawner } from '../../../src/cluster/in-process-spawn.ts';
import { MemoryStorage } from '../../../src/store/memory.ts';
import { executeCmu } from '../../../src/cli/cmu/execute.ts';
import { VirtualFiles, ioOverFiles } from '../../../src/cli/files.ts';
import { cmuContext } from './cmu-kmu-world.ts';

describe('CMU per-server results with a stopped HSM', () => {
  it('lists, creates and resyncs truthfully', async () => {
    const cluster = await Cluster.create({ hsms: 3, seed: 'cmu-per-server', passwordCost: TEST_PASSWORD_COST, spawn: inProcessSpawner(() => new MemoryStorage()) });
    const io = ioOverFiles(new VirtualFiles(), async (text) => (text.includes('(y/n)') ? 'y' : '1'));
    const admin = cmuContext({ io }, cluster, cluster.openSession());
    const ip = (i: number) => cluster.hsms[i]!.ip;
    expect((await executeCmu('loginHSM PRECO admin password', admin)).error_code).toBe(0);
    expect((await executeCmu('changePswd PRECO admin Admin-pw1', admin)).error_code).toBe(0);
    cluster.stopHsm(2);

    const list = await executeCmu('listUsers', admin);
    expect(list.output).toContain(`Users on server 0(${ip(0)}):`);
    expect(list.output).toContain(`Users on server 1(${ip(1)}):`);
    expect(list.output).not.toContain(`Users on server 2(`);
    expect(list.output).toContain(`listUsers failed: RET_CLUSTER_ERROR on server 2(${ip(2)})`);
    expect(list.output).toContain('HSM CLUSTER ERROR: Server in cluster is unavailable');

    const created = await executeCmu('createUser CU dave Passw0rd!', admin);
    expect(created.output).toContain(`createUser success on server 0(${ip(0)})`);
    expect(created.output).toContain(`createUser success on server 1(${ip(1)})`);
    expect(created.output).toContain(`createUser failed: RET_CLUSTER_ERROR on server 2(${ip(2)})`);
    expect(created.error_code).toBe(1);

    await cluster.startHsm(2);
    const after = await executeCmu('listUsers', admin);
    const blocks = after.output.split(/(?=Users on server )/);
    expect(blocks).toHaveLength(3);
    for (const block of blocks) expect(block).toContain('dave');

    expect((await executeCmu('server 2', admin)).error_code).toBe(0);
    const one = await executeCmu('listUsers', admin);
    expect(one.output).toContain(`Users on server 2(${ip(2)}):`);
    expect(one.output).not.toContain('server 0(');
    cluster.dispose();
  });
});
