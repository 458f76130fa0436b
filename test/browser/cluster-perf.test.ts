/**
 * The cluster benchmark in Chromium (real Web Workers): ECDSA P-256 sign through the cluster with
 * 1 and 2 HSMs vs direct calls to one HSM worker, HMAC-SHA256 1 KiB batched through the cluster vs
 * direct noble on the page thread, and adding an HSM to a cluster of 1,000 keys. It is a
 * benchmark, not a test: it runs only when asked —
 *   VITE_CLUSTER_BENCH=1 npx vitest run --project browser test/browser/cluster-perf.test.ts
 * — prints its figures, and asserts only that every operation succeeded.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { browserSpawner } from '../../src/cluster/browser-spawn.ts';
import { Cluster } from '../../src/cluster/cluster.ts';
import { HsmLink } from '../../src/cluster/hsm-link.ts';
import type { ClusterSession } from '../../src/cluster/session.ts';
import { TEST_PASSWORD_COST } from '../../src/crypto/password.ts';
import { activateWithCryptoUser, okData } from './cluster-fixtures.ts';

const spawn = browserSpawner();
const IN_FLIGHT = 16;

async function throughput(op: () => Promise<unknown>, seconds: number, inFlight: number): Promise<number> {
  for (let i = 0; i < 10; i++) await op();
  let count = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        await op();
        count++;
      }
    }),
  );
  return (count * 1000) / (performance.now() - start);
}

async function bestOfRounds(contenders: readonly (() => Promise<number>)[], rounds = 3): Promise<number[]> {
  const best = contenders.map(() => 0);
  for (let r = 0; r < rounds; r++) for (const [i, run] of contenders.entries()) best[i] = Math.max(best[i]!, await run());
  return best;
}

async function activated(hsms: number): Promise<{ cluster: Cluster; cu: ClusterSession }> {
  const cluster = await Cluster.create({ hsms, spawn, passwordCost: TEST_PASSWORD_COST, maxInFlight: IN_FLIGHT });
  const { cryptoUser: cu } = await activateWithCryptoUser(cluster, { adminPassword: 'bench-admin', username: 'bench', password: 'bench-pass' });
  await cluster.spareReady();
  return { cluster, cu };
}

async function signArgsFor(cu: ClusterSession) {
  const pair = okData(
    await cu.request('key.generate-asymmetric-pair', { keyType: 'ec', curve: 'prime256v1', publicLabel: 'p', privateLabel: 'k', privateAttributes: { sign: 'true' } }),
  ) as { private_key: { 'key-reference': string } };
  return { mechanism: 'ecdsa' as const, keyFilter: [`key-reference=${pair.private_key['key-reference']}`], hashFunction: 'sha256' as const, data: new Uint8Array(32) };
}

describe.skipIf(!import.meta.env['VITE_CLUSTER_BENCH'])('cluster benchmark in Chromium', () => {
  it('prints sign, HMAC and add-HSM figures', { timeout: 300_000 }, async () => {
    const lines: string[] = [`Chromium, ${navigator.hardwareConcurrency} cores`];
    // Direct: one HSM worker, no cluster layer.
    const link = new HsmLink({ index: 0, ip: '10.0.0.1', model: 'hsm2m.medium', storage: { kind: 'memory' }, passwordCost: TEST_PASSWORD_COST }, spawn, { maxInFlight: IN_FLIGHT });
    await link.start();
    okData(await link.handle({ op: 'cluster.activate', args: { password: 'bench-admin' } }));
    const admin = okData(await link.handle({ op: 'session.login', args: { username: 'admin', role: 'admin', password: 'bench-admin' } }))['session'] as string;
    okData(await link.handle({ op: 'user.create', session: admin, args: { username: 'bench', role: 'crypto-user', password: 'bench-pass' } }));
    const cuId = okData(await link.handle({ op: 'session.login', args: { username: 'bench', role: 'crypto-user', password: 'bench-pass' } }))['session'] as string;
    const pair = okData(
      await link.handle({ op: 'key.generate-asymmetric-pair', session: cuId, args: { keyType: 'ec', curve: 'prime256v1', publicLabel: 'p', privateLabel: 'k', privateAttributes: { sign: 'true' } } }),
    ) as { private_key: { 'key-reference': string } };
    const direct = { op: 'crypto.sign' as const, session: cuId, args: { mechanism: 'ecdsa' as const, keyFilter: [`key-reference=${pair.private_key['key-reference']}`], hashFunction: 'sha256' as const, data: new Uint8Array(32) } };
    const one = await activated(1);
    const two = await activated(2);
    const oneArgs = await signArgsFor(one.cu);
    const twoArgs = await signArgsFor(two.cu);
    const [d, c1, c2] = await bestOfRounds([
      () => throughput(async () => okData(await link.handle(direct)), 1, IN_FLIGHT),
      () => throughput(async () => okData(await one.cu.request('crypto.sign', oneArgs)), 1, IN_FLIGHT),
      () => throughput(async () => okData(await two.cu.request('crypto.sign', twoArgs)), 1, IN_FLIGHT),
    ]);
    lines.push(`P-256 sign: direct worker ${d!.toFixed(0)}/s; cluster 1 HSM ${c1!.toFixed(0)}/s (${(c1! / d!).toFixed(2)}x); 2 HSMs ${c2!.toFixed(0)}/s (${(c2! / d!).toFixed(2)}x direct, ${(c2! / c1!).toFixed(2)}x one)`);
    link.stop();

    const data = new Uint8Array(1024).fill(3);
    const macBatch = async (cu: ClusterSession) => {
      const key = okData(await cu.request('key.generate-symmetric', { keyType: 'generic-secret', label: 'mac', keyLengthBytes: 32 })) as { key: { 'key-reference': string } };
      return Array.from({ length: 1000 }, () => ({ op: 'crypto.mac-generate' as const, args: { keyFilter: [`key-reference=${key.key['key-reference']}`], hashFunction: 'sha256' as const, data } }));
    };
    const b1 = await macBatch(one.cu);
    const b2 = await macBatch(two.cu);
    const rawKey = new Uint8Array(32).fill(9);
    const viaBatch = (cu: ClusterSession, batch: typeof b1) => async () =>
      1000 * (await throughput(async () => {
        const answers = await cu.requestBatch(batch);
        if (answers.some((a) => a.error_code !== 0)) throw new Error('mac batch failed');
      }, 1, 2));
    const [h, h1, h2] = await bestOfRounds([() => throughput(async () => hmac(sha256, rawKey, data), 1, 1), viaBatch(one.cu, b1), viaBatch(two.cu, b2)]);
    lines.push(`HMAC-SHA256 1 KiB: page-thread noble ${h!.toFixed(0)}/s; cluster of 1 batched ${h1!.toFixed(0)}/s (${(h1! / h!).toFixed(2)}x); cluster of 2 ${h2!.toFixed(0)}/s (${(h2! / h!).toFixed(2)}x)`);
    two.cluster.dispose();

    for (let made = 0; made < 1000; made += 500) {
      const answers = await one.cu.requestBatch(Array.from({ length: 500 }, (_, i) => ({ op: 'key.generate-symmetric' as const, args: { keyType: 'aes' as const, label: `k${made + i}`, keyLengthBytes: 32 } })));
      expect(answers.every((a) => a.error_code === 0)).toBe(true);
    }
    const start = performance.now();
    await one.cluster.addHsm();
    lines.push(`add an HSM to a cluster of 1,000 keys: ${(performance.now() - start).toFixed(0)} ms`);
    expect((await one.cluster.syncStatus()).inSync).toBe(true);
    one.cluster.dispose();
    console.log(lines.join('\n'));
    expect(d! > 0 && c1! > 0 && c2! > 0 && h1! > 0).toBe(true);
  });
});
