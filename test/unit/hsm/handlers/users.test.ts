import { describe, expect, it } from 'vitest';
import { Hsm } from '../../../../src/hsm/hsm.ts';
import { activatedWorld, CU_PASSWORD, expectFail, expectOk, login, openTestHsm, storedState } from '../fixtures.ts';

type UserList = { users: Record<string, unknown>[] };

describe('user.list', () => {
  it('a new HSM lists admin (unactivated) then app_user, in the exact CLI shape', async () => {
    const { hsm } = await openTestHsm('list');
    expect(expectOk<UserList>(await hsm.handle({ op: 'user.list', args: {} }))).toStrictEqual({
      users: [
        { username: 'admin', role: 'unactivated-admin', locked: 'false', mfa: [], quorum: [], 'cluster-coverage': 'full' },
        { username: 'app_user', role: 'internal(APPLIANCE_USER)', locked: 'false', mfa: [], quorum: [], 'cluster-coverage': 'full' },
      ],
    });
  });

  it('orders by id with app_user last', async () => {
    const { hsm } = await activatedWorld('list-order');
    const names = expectOk<UserList>(await hsm.handle({ op: 'user.list', args: {} })).users.map((u) => `${u['username']}:${u['role']}`);
    expect(names).toEqual(['admin:admin', 'alice:crypto-user', 'bob:crypto-user', 'app_user:internal(APPLIANCE_USER)']);
  });
});

describe('user.create', () => {
  it('answers {username, role}, stores the name in lower case and only a salted hash', async () => {
    const { hsm, storage, admin } = await activatedWorld('create');
    expect(expectOk(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'Carol_1', role: 'admin', password: 'Secret-pass' } }))).toStrictEqual({
      username: 'carol_1',
      role: 'admin',
    });
    const carol = (await storedState(storage)).users.find((u) => u.username === 'carol_1');
    expect(carol?.role).toBe('admin');
    expect(carol?.password.algorithm).toBe('argon2id');
    expect(new TextDecoder().decode(await storage.load())).not.toContain('Secret-pass');
    await login(hsm, 'CAROL_1', 'admin', 'Secret-pass');
  });

  it('refuses an existing name in any case, a bad name, a short password and the appliance role', async () => {
    const { hsm, admin } = await activatedWorld('create-bad');
    expect(expectFail(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'ALICE', role: 'crypto-user', password: CU_PASSWORD } }), 'user-exists').data).toBe(
      'User already exists: alice',
    );
    expectFail(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'app_user', role: 'crypto-user', password: CU_PASSWORD } }), 'user-exists');
    expectFail(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'bad-name', role: 'crypto-user', password: CU_PASSWORD } }), 'bad-request');
    expectFail(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'short', role: 'crypto-user', password: 'abc' } }), 'bad-request');
    expect(expectFail(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'au2', role: 'appliance', password: CU_PASSWORD } }), 'bad-request').data).toMatch(
      /cannot be created/,
    );
  });

  it('accepts hyphens when the setting is on', async () => {
    const { hsm, admin } = await activatedWorld('hyphen', { settings: { allowHyphenInUsernames: true } });
    expect(expectOk(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'crypto-user-1', role: 'crypto-user', password: CU_PASSWORD } }))).toMatchObject({
      username: 'crypto-user-1',
    });
  });

  it('stops at the model user limit (hsm1.medium: 250 users including admin and app_user)', async () => {
    const { hsm, admin } = await activatedWorld('limit', { model: 'hsm1.medium' });
    // 4 users exist (admin, app_user, alice, bob)
    for (let i = 0; i < 246; i++) expectOk(await hsm.handle({ op: 'user.create', session: admin, args: { username: `u${i}`, role: 'crypto-user', password: CU_PASSWORD } }));
    const f = expectFail(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'one_more', role: 'crypto-user', password: CU_PASSWORD } }), 'limit-reached');
    expect(f.data).toBe('User limit reached: a hsm1.medium cluster holds at most 250 users');
    expect(hsm.summary().userCount).toBe(250);
  });
});

describe('user.delete', () => {
  it('deletes a logged-out user and refuses a logged-in one', async () => {
    const { hsm, admin, bob } = await activatedWorld('delete');
    const f = expectFail(await hsm.handle({ op: 'user.delete', session: admin, args: { username: 'bob', role: 'crypto-user' } }), 'user-logged-in');
    expect(f.data).toBe('Cannot modify a logged in user: bob');
    expectOk(await hsm.handle({ op: 'session.logout', session: bob, args: {} }));
    expect(expectOk(await hsm.handle({ op: 'user.delete', session: admin, args: { username: 'BOB', role: 'crypto-user' } }))).toStrictEqual({ username: 'bob', role: 'crypto-user' });
    expectFail(await hsm.handle({ op: 'user.delete', session: admin, args: { username: 'bob', role: 'crypto-user' } }), 'user-not-found');
  });

  it('the role must match the stored role', async () => {
    const { hsm, admin } = await activatedWorld('delete-role');
    expectOk(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'zed', role: 'crypto-user', password: CU_PASSWORD } }));
    expect(expectFail(await hsm.handle({ op: 'user.delete', session: admin, args: { username: 'zed', role: 'admin' } }), 'user-not-found').data).toBe('User not found: zed with role admin');
  });

  it('never deletes app_user; an admin cannot delete themselves while logged in', async () => {
    const { hsm, admin } = await activatedWorld('delete-special');
    expectFail(await hsm.handle({ op: 'user.delete', session: admin, args: { username: 'app_user', role: 'appliance' } }), 'bad-request');
    expectFail(await hsm.handle({ op: 'user.delete', session: admin, args: { username: 'admin', role: 'admin' } }), 'user-logged-in');
  });
});

describe('user.change-password', () => {
  it('an admin changes another user; the logged-in target is refused', async () => {
    const { hsm, admin, alice } = await activatedWorld('chpw');
    expectFail(await hsm.handle({ op: 'user.change-password', session: admin, args: { username: 'alice', role: 'crypto-user', password: 'new-pass-1' } }), 'user-logged-in');
    expectOk(await hsm.handle({ op: 'session.logout', session: alice, args: {} }));
    expectOk(await hsm.handle({ op: 'user.change-password', session: admin, args: { username: 'alice', role: 'crypto-user', password: 'new-pass-1' } }));
    expectFail(await hsm.handle({ op: 'session.login', args: { username: 'alice', role: 'crypto-user', password: CU_PASSWORD } }), 'invalid-credentials');
    await login(hsm, 'alice', 'crypto-user', 'new-pass-1');
  });

  it('a crypto user changes their own password but nobody else’s', async () => {
    const { hsm, alice } = await activatedWorld('chpw-own');
    expect(expectOk(await hsm.handle({ op: 'user.change-password', session: alice, args: { username: 'Alice', role: 'crypto-user', password: 'mine-pass-2' } }))).toStrictEqual({
      username: 'alice',
      role: 'crypto-user',
    });
    const f = expectFail(await hsm.handle({ op: 'user.change-password', session: alice, args: { username: 'bob', role: 'crypto-user', password: 'mine-pass-2' } }), 'permission-denied');
    expect(f.data).toBe("Permission denied: only an admin may change another user's password");
    await login(hsm, 'alice', 'crypto-user', 'mine-pass-2');
  });

  it('the unactivated admin changing their own password activates the cluster (CMU changePswd)', async () => {
    const { hsm } = await openTestHsm('preco-chpw');
    const preco = await login(hsm, 'admin', 'admin', 'password');
    expectFail(await hsm.handle({ op: 'user.create', session: preco, args: { username: 'x', role: 'crypto-user', password: CU_PASSWORD } }), 'permission-denied');
    expect(expectOk(await hsm.handle({ op: 'user.change-password', session: preco, args: { username: 'admin', role: 'admin', password: 'first-pass' } }))).toStrictEqual({
      username: 'admin',
      role: 'admin',
    });
    expect(hsm.summary().activated).toBe(true);
    // the same session is now an admin's
    expectOk(await hsm.handle({ op: 'user.create', session: preco, args: { username: 'x', role: 'crypto-user', password: CU_PASSWORD } }));
  });

  it('the state persists: a reopened HSM knows the new user', async () => {
    const { opts } = await activatedWorld('persist-users');
    const again = await Hsm.open(opts);
    await login(again, 'alice', 'crypto-user', CU_PASSWORD);
  });
});
