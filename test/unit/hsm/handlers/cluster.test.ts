import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, expectFail, expectOk, login, openTestHsm } from '../fixtures.ts';

describe('cluster.activate', () => {
  it('sets the admin password, turns the admin into a CO and answers the documented text', async () => {
    const { hsm } = await openTestHsm('activate');
    expect(hsm.summary().activated).toBe(false);
    expect(expectOk(await hsm.handle({ op: 'cluster.activate', args: { password: ADMIN_PASSWORD } }))).toBe('Cluster activation successful');
    expect(hsm.summary().activated).toBe(true);
    const users = expectOk<{ users: { username: string; role: string }[] }>(await hsm.handle({ op: 'user.list', args: {} })).users;
    expect(users[0]).toMatchObject({ username: 'admin', role: 'admin' });
    expectFail(await hsm.handle({ op: 'session.login', args: { username: 'admin', role: 'admin', password: 'password' } }), 'invalid-credentials');
    await login(hsm, 'admin', 'admin', ADMIN_PASSWORD);
  });

  it('the logged-in unactivated admin may activate too; a second activation is refused', async () => {
    const { hsm } = await openTestHsm('activate-preco');
    const preco = await login(hsm, 'admin', 'admin', 'password');
    expectOk(await hsm.handle({ op: 'cluster.activate', session: preco, args: { password: ADMIN_PASSWORD } }));
    const before = hsm.stateDigest();
    expect(expectFail(await hsm.handle({ op: 'cluster.activate', args: { password: 'other-pass' } }), 'already-activated').data).toBe('Cluster is already activated');
    // the PRECO session became an admin session, and admins may not activate
    expectFail(await hsm.handle({ op: 'cluster.activate', session: preco, args: { password: 'other-pass' } }), 'permission-denied');
    expect(hsm.stateDigest()).toBe(before);
  });

  it('refuses a too-short password and stays unactivated', async () => {
    const { hsm } = await openTestHsm('activate-short');
    const before = hsm.stateDigest();
    expectFail(await hsm.handle({ op: 'cluster.activate', args: { password: 'short' } }), 'bad-request');
    expect(hsm.summary().activated).toBe(false);
    expect(hsm.stateDigest()).toBe(before);
  });
});

describe('hsm.info', () => {
  it('gives the spec §4.1 fields as strings plus ip and device id, per model', async () => {
    const { hsm } = await openTestHsm('info', { model: 'hsm1.medium', index: 2 });
    const info = expectOk<Record<string, unknown>>(await hsm.handle({ op: 'hsm.info', args: {} }));
    expect(Object.keys(info)).toEqual([
      'vendor', 'model', 'serial-number', 'hardware-version-major', 'hardware-version-minor', 'firmware-version-major',
      'firmware-version-minor', 'firmware-build-number', 'firmware-id', 'fips-state', 'ip', 'device-id',
    ]);
    for (const v of Object.values(info)) expect(typeof v).toBe('string');
    expect(info).toMatchObject({
      vendor: 'Marvell Semiconductors, Inc.',
      model: 'NITROX-III CNN35XX-NFBE',
      'firmware-id': 'CNN35XX-NFBE-FW-2.06-16',
      'fips-state': '2 [FIPS mode with single factor authentication]',
      ip: '10.0.0.3',
    });
    expect(info['device-id']).toMatch(/^hsm-[a-z2-7]{11}$/);
    const other = await openTestHsm('info');
    expect(expectOk<Record<string, string>>(await other.hsm.handle({ op: 'hsm.info', args: {} }))['model']).not.toBe('NITROX-III CNN35XX-NFBE');
  });
});
