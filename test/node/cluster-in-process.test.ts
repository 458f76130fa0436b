/**
 * The in-process spawner: HSM endpoints behind a MessageChannel on the calling thread (same
 * comlink protocol and structured cloning as a worker), and "terminating" one loses its state.
 */
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster.ts';
import { memoryOnlyStorage } from '../../src/cluster/endpoint.ts';
import { inProcessSpawner } from '../../src/cluster/in-process-spawn.ts';
import { TEST_PASSWORD_COST } from '../../src/crypto/password.ts';
import { activateWithUser, makeEcKey, okData } from './cluster-helpers.ts';

describe('in-process cluster', () => {
  it('runs a 2-HSM cluster on one thread and restores a stopped memory HSM from a backup', async () => {
    const cluster = await Cluster.create({ hsms: 2, spawn: inProcessSpawner(memoryOnlyStorage), passwordCost: TEST_PASSWORD_COST, seed: 'in-process' });
    try {
      const { cu } = await activateWithUser(cluster);
      const key = await makeEcKey(cu, 'local');
      expect(key.coverage).toBe('full');
      cluster.stopHsm(1);
      const later = await makeEcKey(cu, 'later');
      expect(later.coverage).toBe('partial');
      // memory storage died with the HSM: it comes back as a clone of the live one
      await cluster.startHsm(1);
      expect((await cluster.syncStatus()).inSync).toBe(true);
      for (let i = 0; i < 2; i++) {
        okData(await cu.request('crypto.sign', { mechanism: 'ecdsa', keyFilter: [`key-reference=${later.privateRef}`], hashFunction: 'sha256', data: new Uint8Array([i]) }));
      }
      expect(() => memoryOnlyStorage({ kind: 'file', dir: '/tmp', name: 'x' })).toThrow(/"file" is not available here/);
    } finally {
      cluster.dispose();
    }
  });
});
