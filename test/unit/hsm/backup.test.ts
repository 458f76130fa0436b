import { describe, expect, it } from 'vitest';
import { HsmError } from '../../../src/hsm/envelope.ts';
import { Hsm } from '../../../src/hsm/hsm.ts';
import { activatedWorld, CU_PASSWORD, expectOk, login, testOptions } from './fixtures.ts';

async function rejected(p: Promise<unknown>): Promise<HsmError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HsmError) return e;
    throw e;
  }
  throw new Error('not rejected');
}

describe('backup / restore', () => {
  it('a restored clone has the same users, keys, settings and cluster, but its own identity', async () => {
    const { hsm } = await activatedWorld('backup');
    const backup = await hsm.backup();
    const clone = await Hsm.restore(backup, testOptions('clone', { index: 1 }));
    expect(clone.stateDigest()).toBe(hsm.stateDigest());
    const a = hsm.summary();
    const b = clone.summary();
    expect(b.clusterId).toBe(a.clusterId);
    expect(b.index).toBe(1);
    expect(b.ip).toBe('10.0.0.2');
    expect(b.serialNumber).not.toBe(a.serialNumber);
    await login(clone, 'alice', 'crypto-user', CU_PASSWORD);
    // the clone shares the cluster key: its sync-status digests equal the original's
    const admin1 = await login(hsm, 'admin', 'admin', 'admin-pass-1');
    const admin2 = await login(clone, 'admin', 'admin', 'admin-pass-1');
    const s1 = expectOk(await hsm.handle({ op: 'hsm.sync-status', session: admin1, args: {} }));
    const s2 = expectOk(await clone.handle({ op: 'hsm.sync-status', session: admin2, args: {} }));
    expect(s2).toStrictEqual(s1);
  });

  it('the backup does not contain the cluster id, usernames or audit in clear', async () => {
    const { hsm } = await activatedWorld('backup-opaque');
    const backup = Buffer.from(await hsm.backup());
    expect(backup.subarray(0, 4).toString()).toBe('HSMB');
    expect(backup.includes(Buffer.from(hsm.summary().clusterId))).toBe(false);
    expect(backup.includes(Buffer.from('alice'))).toBe(false);
  });

  it('refuses a tampered, truncated or foreign backup with bad-backup', async () => {
    const { hsm } = await activatedWorld('backup-tamper');
    const backup = await hsm.backup();
    for (const position of [0, 4, 10, 40, 70, 90, backup.length - 1]) {
      const t = backup.slice();
      t[position]! ^= 0x01;
      const e = await rejected(Hsm.restore(t, testOptions('x')));
      expect(e.reason).toBe('bad-backup');
    }
    expect((await rejected(Hsm.restore(backup.subarray(0, 50), testOptions('x')))).message).toMatch(/truncated/);
    expect((await rejected(Hsm.restore(new TextEncoder().encode('x'.repeat(200)), testOptions('x')))).message).toMatch(/Not an HSM backup/);
  });
});
