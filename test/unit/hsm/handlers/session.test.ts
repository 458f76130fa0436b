import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, activatedWorld, CU_PASSWORD, expectFail, expectOk, login, openTestHsm } from '../fixtures.ts';

describe('session.login / session.logout', () => {
  it('the unactivated admin logs in with role admin and the default password', async () => {
    const { hsm } = await openTestHsm('login');
    const data = expectOk<Record<string, string>>(await hsm.handle({ op: 'session.login', args: { username: 'ADMIN', role: 'admin', password: 'password' } }));
    expect(data['username']).toBe('admin');
    expect(data['role']).toBe('unactivated-admin');
    expect(data['session']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('the appliance user logs in with role appliance (simulator extension)', async () => {
    const { hsm } = await openTestHsm('login');
    const data = expectOk<Record<string, string>>(await hsm.handle({ op: 'session.login', args: { username: 'app_user', role: 'appliance', password: 'password' } }));
    expect(data).toMatchObject({ username: 'app_user', role: 'internal(APPLIANCE_USER)' });
  });

  it('wrong password, unknown user and wrong role all answer "Invalid username or password"', async () => {
    const { hsm } = await activatedWorld('login-bad');
    for (const args of [
      { username: 'alice', role: 'crypto-user' as const, password: 'wrong-pass' },
      { username: 'nobody', role: 'crypto-user' as const, password: CU_PASSWORD },
      { username: 'alice', role: 'admin' as const, password: CU_PASSWORD },
    ]) {
      const f = expectFail(await hsm.handle({ op: 'session.login', args }), 'invalid-credentials');
      expect(f.data).toBe('Invalid username or password');
    }
  });

  it('locks a user at 5 failures; then even the right password is refused; an admin reset unlocks', async () => {
    const { hsm, admin } = await activatedWorld('lockout');
    const list = async () => expectOk<{ users: { username: string; locked: string }[] }>(await hsm.handle({ op: 'user.list', args: {} })).users;
    // bob is logged in in the world; use a fresh user so a password reset is allowed
    expectOk(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'carol', role: 'crypto-user', password: CU_PASSWORD } }));
    for (let i = 1; i <= 4; i++) expectFail(await hsm.handle({ op: 'session.login', args: { username: 'carol', role: 'crypto-user', password: `bad-${i}-pass` } }), 'invalid-credentials');
    expect((await list()).find((u) => u.username === 'carol')?.locked).toBe('false');
    expectFail(await hsm.handle({ op: 'session.login', args: { username: 'carol', role: 'crypto-user', password: 'bad-5-pass' } }), 'invalid-credentials');
    expect((await list()).find((u) => u.username === 'carol')?.locked).toBe('true');
    const locked = expectFail(await hsm.handle({ op: 'session.login', args: { username: 'carol', role: 'crypto-user', password: CU_PASSWORD } }), 'user-locked');
    expect(locked.data).toBe('User is locked');
    expectOk(await hsm.handle({ op: 'user.change-password', session: admin, args: { username: 'carol', role: 'crypto-user', password: 'new-pass-123' } }));
    expect((await list()).find((u) => u.username === 'carol')?.locked).toBe('false');
    await login(hsm, 'carol', 'crypto-user', 'new-pass-123');
  });

  it('a successful login resets the failure counter', async () => {
    const { hsm, admin } = await activatedWorld('reset-counter');
    expectOk(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'dave', role: 'crypto-user', password: CU_PASSWORD } }));
    for (let i = 0; i < 4; i++) expectFail(await hsm.handle({ op: 'session.login', args: { username: 'dave', role: 'crypto-user', password: 'bad-pass-x' } }), 'invalid-credentials');
    await login(hsm, 'dave', 'crypto-user', CU_PASSWORD);
    for (let i = 0; i < 4; i++) expectFail(await hsm.handle({ op: 'session.login', args: { username: 'dave', role: 'crypto-user', password: 'bad-pass-x' } }), 'invalid-credentials');
    await login(hsm, 'dave', 'crypto-user', CU_PASSWORD); // would be locked if the counter had not reset
  });

  it('sessions side by side are each judged by their own user', async () => {
    const { hsm, admin, alice } = await activatedWorld('side-by-side');
    // the admin may create users, alice may not, and an unauthenticated request needs a login
    expectOk(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'erin', role: 'crypto-user', password: CU_PASSWORD } }));
    const denied = expectFail(await hsm.handle({ op: 'user.create', session: alice, args: { username: 'frank', role: 'crypto-user', password: CU_PASSWORD } }), 'permission-denied');
    expect(denied.data).toBe('Permission denied: only an admin may create users');
    expect(denied.allowedRoles).toEqual(['admin']);
    const anon = expectFail(await hsm.handle({ op: 'user.create', args: { username: 'frank', role: 'crypto-user', password: CU_PASSWORD } }), 'not-logged-in');
    expect(anon.data).toBe('Not logged in: only an admin may create users');
    // the same user twice: two independent sessions
    const alice2 = await login(hsm, 'alice', 'crypto-user', CU_PASSWORD);
    expect(alice2).not.toBe(alice);
    expect(expectOk(await hsm.handle({ op: 'session.logout', session: alice2, args: {} }))).toBe('Logout successful');
    expectFail(await hsm.handle({ op: 'user.list', session: alice2, args: {} }), 'not-logged-in');
    expectOk(await hsm.handle({ op: 'hsm.sync-status', session: alice, args: {} }));
  });

  it('a logged-in user may not log in again in the same session', async () => {
    const { hsm, alice } = await activatedWorld('relogin');
    expectFail(await hsm.handle({ op: 'session.login', session: alice, args: { username: 'alice', role: 'crypto-user', password: CU_PASSWORD } }), 'permission-denied');
  });

  it('refuses malformed login arguments as bad requests, counting nothing', async () => {
    const { hsm } = await openTestHsm('login-args');
    const f = expectFail(await hsm.handle({ op: 'session.login', args: { username: 'admin', role: 'root', password: 'password' } } as never), 'bad-request');
    expect(f.data).toMatch(/role must be one of/);
    expectFail(await hsm.handle({ op: 'session.login', args: { username: 5, role: 'admin', password: 'x' } } as never), 'bad-request');
    expect(ADMIN_PASSWORD).toBeTruthy();
  });
});
