import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD_COST } from '../../../src/crypto/password.ts';
import { seededRandom } from '../../../src/crypto/random.ts';
import { virtualClock } from '../../../src/hsm/clock.ts';
import { Hsm } from '../../../src/hsm/hsm.ts';
import type { AnyRequest } from '../../../src/hsm/requests.ts';
import { MemoryStorage } from '../../../src/store/memory.ts';
import { ADMIN_PASSWORD, CU_PASSWORD, expectOk, login, openTestHsm, storedState, testOptions } from './fixtures.ts';

/** A script that touches every hsm-core area; session ids are threaded through by name. */
async function runScript(seed: string): Promise<string> {
  const hsm = await Hsm.open(testOptions(seed));
  const sessions: Record<string, string> = {};
  const answers: unknown[] = [];
  const steps: [string | undefined, AnyRequest][] = [
    [undefined, { op: 'hsm.info', args: {} }],
    [undefined, { op: 'cluster.activate', args: { password: ADMIN_PASSWORD } }],
    ['admin', { op: 'session.login', args: { username: 'admin', role: 'admin', password: ADMIN_PASSWORD } }],
    [undefined, { op: 'user.create', args: { username: 'alice', role: 'crypto-user', password: CU_PASSWORD } }],
    ['alice', { op: 'session.login', args: { username: 'alice', role: 'crypto-user', password: CU_PASSWORD } }],
    [undefined, { op: 'key.generate-symmetric', args: { keyType: 'aes', label: 'k', keyLengthBytes: 32 } }],
    [undefined, { op: 'hsm.sync-status', args: {} }],
    [undefined, { op: 'object.extract-masked', args: { username: 'alice' } }],
    [undefined, { op: 'session.login', args: { username: 'bob', role: 'crypto-user', password: 'nope-nope' } }],
    [undefined, { op: 'user.list', args: {} }],
    [undefined, { op: 'audit.read', args: {} }],
  ];
  const who = ['', '', '', 'admin', '', 'alice', 'alice', 'admin', '', '', 'admin'];
  for (const [i, [name, req]] of steps.entries()) {
    const session = who[i] ? sessions[who[i]!] : undefined;
    const answer = await hsm.handle({ ...req, session } as AnyRequest);
    if (name && answer.error_code === 0) sessions[name] = (answer.data as { session: string }).session;
    answers.push(answer);
  }
  answers.push(await hsm.backup(), hsm.stateDigest());
  return JSON.stringify(answers, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v));
}

describe('Hsm', () => {
  it('a new HSM: unactivated, admin + app_user, a cluster id, persisted at once', async () => {
    const { hsm, storage } = await openTestHsm('new');
    const s = hsm.summary();
    expect(s).toMatchObject({ index: 0, ip: '10.0.0.1', model: 'hsm2m.medium', activated: false, userCount: 2, keyCount: 0 });
    expect(s.clusterId).toMatch(/^cluster-[a-z2-7]{11}$/);
    expect(s.serialNumber).toMatch(/^5\.3G\d{4}-ICM\d{6}$/);
    const state = await storedState(storage);
    expect(state.users.map((u) => [u.id, u.username, u.role])).toEqual([
      [1, 'admin', 'unactivated-admin'],
      [2, 'app_user', 'appliance-user'],
    ]);
    expect(state.clusterKey).toHaveLength(32);
  });

  it('save/load through MemoryStorage gives an identical state digest', async () => {
    const opts = testOptions('reload');
    const hsm = await Hsm.open(opts);
    expectOk(await hsm.handle({ op: 'cluster.activate', args: { password: ADMIN_PASSWORD } }));
    const admin = await login(hsm, 'admin', 'admin', ADMIN_PASSWORD);
    expectOk(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'alice', role: 'crypto-user', password: CU_PASSWORD } }));
    const again = await Hsm.open({ ...opts, random: seededRandom('other') });
    expect(again.stateDigest()).toBe(hsm.stateDigest());
    expect(again.summary()).toStrictEqual(hsm.summary());
    // sessions do not survive a restart
    const f = await again.handle({ op: 'user.list', session: admin, args: {} });
    expect(f.error_code).toBe(1);
  });

  it('the same seeded script gives byte-identical answers twice, and another seed differs', async () => {
    const a = await runScript('script');
    const b = await runScript('script');
    expect(a).toBe(b);
    expect(await runScript('script-2')).not.toBe(a);
  });

  it('session keys vanish when the HSM restarts; token keys stay', async () => {
    const opts = testOptions('restart');
    const hsm = await Hsm.open(opts);
    expectOk(await hsm.handle({ op: 'cluster.activate', args: { password: ADMIN_PASSWORD } }));
    const admin = await login(hsm, 'admin', 'admin', ADMIN_PASSWORD);
    expectOk(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'alice', role: 'crypto-user', password: CU_PASSWORD } }));
    const alice = await login(hsm, 'alice', 'crypto-user', CU_PASSWORD);
    expectOk(await hsm.handle({ op: 'key.generate-symmetric', session: alice, args: { keyType: 'aes', label: 'tok', keyLengthBytes: 16 } }));
    expectOk(await hsm.handle({ op: 'key.generate-symmetric', session: alice, args: { keyType: 'aes', label: 'ses', keyLengthBytes: 16, session: true } }));
    expect(hsm.summary().keyCount).toBe(2);
    const again = await Hsm.open(opts);
    expect(again.summary().keyCount).toBe(1);
    expect((await storedState(opts.storage as MemoryStorage)).keys.map((k) => k.attributes['label'])).toEqual(['tok']);
  });

  it('logout deletes that session’s session keys only', async () => {
    const opts = testOptions('logout-keys');
    const hsm = await Hsm.open(opts);
    expectOk(await hsm.handle({ op: 'cluster.activate', args: { password: ADMIN_PASSWORD } }));
    const admin = await login(hsm, 'admin', 'admin', ADMIN_PASSWORD);
    expectOk(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'alice', role: 'crypto-user', password: CU_PASSWORD } }));
    const a1 = await login(hsm, 'alice', 'crypto-user', CU_PASSWORD);
    const a2 = await login(hsm, 'alice', 'crypto-user', CU_PASSWORD);
    expectOk(await hsm.handle({ op: 'key.generate-symmetric', session: a1, args: { keyType: 'aes', label: 's1', keyLengthBytes: 16, session: true } }));
    expectOk(await hsm.handle({ op: 'key.generate-symmetric', session: a2, args: { keyType: 'aes', label: 's2', keyLengthBytes: 16, session: true } }));
    expectOk(await hsm.handle({ op: 'session.logout', session: a1, args: {} }));
    const labels = (await storedState(opts.storage as MemoryStorage)).keys.map((k) => k.attributes['label']);
    expect(labels).toEqual(['s2']);
  });

  it('handleBatch answers in order, like separate calls', async () => {
    const { hsm } = await openTestHsm('batch');
    const answers = await hsm.handleBatch([
      { op: 'cluster.activate', args: { password: ADMIN_PASSWORD } },
      { op: 'cluster.activate', args: { password: ADMIN_PASSWORD } },
      { op: 'user.list', args: {} },
    ]);
    expect(answers.map((a) => a.error_code)).toEqual([0, 1, 0]);
  });

  it('concurrent requests do not interleave (two creates of one name: one wins)', async () => {
    const { hsm } = await openTestHsm('concurrent');
    expectOk(await hsm.handle({ op: 'cluster.activate', args: { password: ADMIN_PASSWORD } }));
    const admin = await login(hsm, 'admin', 'admin', ADMIN_PASSWORD);
    const req: AnyRequest = { op: 'user.create', session: admin, args: { username: 'twin', role: 'crypto-user', password: CU_PASSWORD } };
    const [x, y] = await Promise.all([hsm.handle(req), hsm.handle(req)]);
    expect([x.error_code, y.error_code].sort()).toEqual([0, 1]);
    expect(hsm.summary().userCount).toBe(3);
  });

  it('a stored HSM of another model is not silently reinterpreted; bad options are named', async () => {
    const opts = testOptions('model', { model: 'hsm1.medium' });
    await Hsm.open(opts);
    await expect(Hsm.open({ ...opts, model: 'hsm2m.medium' })).rejects.toThrow(/holds an hsm1\.medium HSM/);
    await expect(Hsm.open({ ...opts, model: 'hsm3' as never })).rejects.toThrow(/model must be hsm2m\.medium or hsm1\.medium/);
    await expect(Hsm.open({ ...opts, index: -1 })).rejects.toThrow(/index must be a non-negative integer/);
  });

  it('a corrupt snapshot gives a clear error', async () => {
    const storage = new MemoryStorage();
    await storage.save(new TextEncoder().encode('garbage'));
    await expect(Hsm.open({ random: seededRandom('c'), clock: virtualClock(), storage, passwordCost: TEST_PASSWORD_COST })).rejects.toThrow(/HSM snapshot is not valid JSON/);
  });
});
