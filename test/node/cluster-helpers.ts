/**
 * Shared set-up for the cluster integration tests: clusters of real worker_threads HSMs with cheap
 * password hashing, an activated admin and a crypto user.
 * @module
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { TEST_PASSWORD_COST } from '../../src/crypto/password.ts';
import { Cluster, type ClusterOptions } from '../../src/cluster/cluster.ts';
import type { ClusterSession } from '../../src/cluster/session.ts';
import type { Envelope } from '../../src/hsm/envelope.ts';
import { nodeSpawner } from '../../src/node/spawn-hsm.ts';

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export function okData<T = Record<string, unknown>>(answer: Envelope): T {
  if (answer.error_code !== 0) throw new Error(`expected success, got: ${answer.data} (${answer.reason})`);
  return answer.data as T;
}

export async function newCluster(options: Partial<ClusterOptions> & { hsms: number }): Promise<Cluster> {
  return Cluster.create({ spawn: nodeSpawner(), passwordCost: TEST_PASSWORD_COST, ...options });
}

/** Activate the cluster, create crypto user `cu1`, and return an admin and a CU session. */
export async function activateWithUser(cluster: Cluster): Promise<{ admin: ClusterSession; cu: ClusterSession }> {
  const admin = cluster.openSession();
  okData(await admin.request('cluster.activate', { password: 'admin-pass-1' }));
  okData(await admin.request('session.login', { username: 'admin', role: 'admin', password: 'admin-pass-1' }));
  okData(await admin.request('user.create', { username: 'cu1', role: 'crypto-user', password: 'cu1-pass-1' }));
  const cu = cluster.openSession();
  okData(await cu.request('session.login', { username: 'cu1', role: 'crypto-user', password: 'cu1-pass-1' }));
  expect(cu.identity).toEqual({ username: 'cu1', role: 'crypto-user' });
  return { admin, cu };
}

export async function makeEcKey(cu: ClusterSession, label: string): Promise<{ privateRef: string; publicRef: string; coverage: string }> {
  const data = okData<{ private_key: { 'key-reference': string; 'key-info': { 'cluster-coverage': string } }; public_key: { 'key-reference': string } }>(
    await cu.request('key.generate-asymmetric-pair', { keyType: 'ec', curve: 'prime256v1', publicLabel: `${label}-pub`, privateLabel: label, privateAttributes: { sign: 'true' } }),
  );
  return { privateRef: data.private_key['key-reference'], publicRef: data.public_key['key-reference'], coverage: data.private_key['key-info']['cluster-coverage'] };
}
