/** The legacy-tool arguments of the user operations: `legacy` (7-character passwords, spec §2.3/§11) and `withIds` (CMU user ids). */
import { describe, expect, it } from 'vitest';
import { activatedWorld, expectFail, expectOk, openTestHsm } from '../fixtures.ts';

describe('legacy password minimum', () => {
  it('accepts 7 characters only when legacy is true, for create, change-password, change-own-password and activate', async () => {
    const { hsm, admin } = await activatedWorld('legacy-passwords');
    expect(expectFail(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'carol', role: 'crypto-user', password: 'Seven77' } }), 'bad-request').data).toBe('password must be 8 to 32 characters, got 7');
    expectOk(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'carol', role: 'crypto-user', password: 'Seven77', legacy: true } }));
    expect(expectFail(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'dave', role: 'crypto-user', password: 'Six666', legacy: true } }), 'bad-request').data).toBe('password must be 7 to 32 characters, got 6');
    expectFail(await hsm.handle({ op: 'user.change-password', session: admin, args: { username: 'carol', role: 'crypto-user', password: 'Other77' } }), 'bad-request');
    expectOk(await hsm.handle({ op: 'user.change-password', session: admin, args: { username: 'carol', role: 'crypto-user', password: 'Other77', legacy: true } }));
    const carol = expectOk<{ session: string }>(await hsm.handle({ op: 'session.login', args: { username: 'carol', role: 'crypto-user', password: 'Other77' } })).session;
    expectFail(await hsm.handle({ op: 'user.change-own-password', session: carol, args: { username: 'carol', role: 'crypto-user', password: 'Mine777' } }), 'bad-request');
    expectOk(await hsm.handle({ op: 'user.change-own-password', session: carol, args: { username: 'carol', role: 'crypto-user', password: 'Mine777', legacy: true } }));
    expectFail(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'erin', role: 'crypto-user', password: 'Seven77', legacy: 'yes' as unknown as boolean } }), 'bad-request');

    const fresh = (await openTestHsm('legacy-activate')).hsm;
    expectFail(await fresh.handle({ op: 'cluster.activate', args: { password: 'Seven77' } }), 'bad-request');
    expectOk(await fresh.handle({ op: 'cluster.activate', args: { password: 'Seven77', legacy: true } }));
  });
});

describe('user.list withIds', () => {
  it('keeps the cloudhsm-cli shape by default and adds stable, never-reused user ids on request', async () => {
    const { hsm, admin } = await activatedWorld('user-ids');
    const plain = expectOk<{ users: Record<string, unknown>[] }>(await hsm.handle({ op: 'user.list', args: {} }));
    expect(Object.keys(plain.users[0] ?? {})).toEqual(['username', 'role', 'locked', 'mfa', 'quorum', 'cluster-coverage']);
    expectOk(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'carol', role: 'crypto-user', password: 'carol-pass-1' } }));
    expectOk(await hsm.handle({ op: 'user.delete', session: admin, args: { username: 'carol', role: 'crypto-user' } }));
    expectOk(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'dave', role: 'crypto-user', password: 'dave-pass-1' } }));
    const withIds = expectOk<{ users: { 'user-id': number; username: string }[] }>(await hsm.handle({ op: 'user.list', args: { withIds: true } }));
    const ids = Object.fromEntries(withIds.users.map((u) => [u.username, u['user-id']]));
    expect(ids).toEqual({ admin: 1, app_user: 2, alice: 3, bob: 4, dave: 6 });
    expect(Object.keys(withIds.users[0] ?? {})[0]).toBe('user-id');
    expectFail(await hsm.handle({ op: 'user.list', args: { withIds: 1 as unknown as boolean } }), 'bad-request');
  });
});
