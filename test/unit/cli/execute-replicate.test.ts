/**
 * `key replicate` and `user replicate` typed into cloudhsm-cli against a real cluster and its clone
 * (in-process HSMs, registry in memory): the answers have the spec's shapes (§4.3, §4.5) and the
 * copies work on the destination.
 * @module
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessSpawner } from '../../../src/cluster/in-process-spawn.ts';
import { ClusterRegistry, MemoryRegistryStore } from '../../../src/cluster/registry.ts';
import type { ClusterSession } from '../../../src/cluster/session.ts';
import { execute, type ExecutionContext } from '../../../src/cli/cloudhsm-cli/execute.ts';
import { VirtualFiles, ioOverFiles } from '../../../src/cli/files.ts';
import { TEST_PASSWORD_COST } from '../../../src/crypto/password.ts';
import { MemoryStorage } from '../../../src/store/memory.ts';

describe('cloudhsm-cli key replicate / user replicate between a cluster and its clone', () => {
  let registry: ClusterRegistry;
  let source: ClusterSession;
  let destination: ClusterSession;
  const files = new VirtualFiles();
  const io = ioOverFiles(files, async () => '');
  const context = (session: ClusterSession): ExecutionContext => ({ session, io, replication: registry.replicationFor(session) });
  const run = async (session: ClusterSession, line: string) => JSON.parse((await execute(line, context(session))).output) as { error_code: number; data: unknown };

  beforeAll(async () => {
    registry = await ClusterRegistry.open({ store: new MemoryRegistryStore(), spawn: inProcessSpawner(() => new MemoryStorage()) });
    const original = await registry.create({ hsms: 2, seed: 'replicate-cli', passwordCost: TEST_PASSWORD_COST });
    source = original.openSession();
    expect((await run(source, 'cluster activate --password Passw0rd!')).error_code).toBe(0);
    expect((await run(source, 'login --username admin --role admin --password Passw0rd!')).error_code).toBe(0);
    expect((await run(source, 'user create --username cu1 --role crypto-user --password Passw0rd!')).error_code).toBe(0);
    const clone = await registry.clone(original, { hsms: 2, seed: 'replicate-cli-clone', passwordCost: TEST_PASSWORD_COST });
    expect(clone.name).toBe('cluster-2');
    destination = clone.openSession();
  });
  afterAll(() => registry.dispose());

  it('user replicate answers {"user": {…}, "message": "Successfully replicated user"} and the user can log in on the clone', async () => {
    expect((await run(source, 'user create --username cu2 --role crypto-user --password Passw0rd!')).error_code).toBe(0);
    const answer = await run(source, 'user replicate --username cu2 --role crypto-user --source-cluster-id cluster-1 --destination-cluster-id cluster-2');
    expect(answer).toEqual({
      error_code: 0,
      data: {
        user: { username: 'cu2', role: 'crypto-user', locked: 'false', mfa: [], quorum: [], 'cluster-coverage': 'full' },
        message: 'Successfully replicated user',
      },
    });
    expect((await run(destination, 'login --username cu2 --role crypto-user --password Passw0rd!')).data).toEqual({ username: 'cu2', role: 'crypto-user' });
    expect((await run(destination, 'logout')).error_code).toBe(0);
    const wrongRole = await run(source, 'user replicate --username cu2 --role admin --source-cluster-id cluster-1 --destination-cluster-id cluster-2');
    expect(wrongRole).toEqual({ error_code: 1, data: 'User not found: cu2 with role admin' });
  });

  it('key replicate answers {"key": <key object>, "message": "Successfully replicated key"} and the key works on the clone', async () => {
    expect((await run(source, 'logout')).error_code).toBe(0);
    expect((await run(source, 'login --username cu1 --role crypto-user --password Passw0rd!')).error_code).toBe(0);
    const made = await run(source, 'key generate-symmetric aes --label shared-aes --key-length-bytes 32');
    const original = (made.data as { key: { 'key-reference': string; attributes: Record<string, unknown> } }).key;
    const answer = await run(source, 'key replicate --filter attr.label=shared-aes --source-cluster-id cluster-1 --destination-cluster-id cluster-2');
    expect(answer.error_code).toBe(0);
    const data = answer.data as { key: { 'key-reference': string; 'key-info': unknown; attributes: Record<string, unknown> }; message: string };
    expect(Object.keys(data)).toEqual(['key', 'message']);
    expect(data.message).toBe('Successfully replicated key');
    expect(data.key['key-reference']).toBe(original['key-reference']);
    expect(data.key['key-info']).toEqual({
      'key-owners': [{ username: 'cu1', 'key-coverage': 'full' }],
      'shared-users': [],
      'key-quorum-values': { 'manage-key-quorum-value': 0, 'use-key-quorum-value': 0 },
      'cluster-coverage': 'full',
    });
    expect(data.key.attributes).toEqual(original.attributes);
    // the clone's crypto user finds it by label, with the same check value
    expect((await run(destination, 'login --username cu1 --role crypto-user --password Passw0rd!')).error_code).toBe(0);
    const listed = await run(destination, 'key list --filter attr.label=shared-aes --verbose');
    expect(listed.data).toMatchObject({ matched_keys: [{ 'key-reference': original['key-reference'], attributes: { 'check-value': original.attributes['check-value'] } }] });
  });

  it('refuses to replicate to a cluster that is not configured, naming it', async () => {
    const answer = await run(source, 'key replicate --filter attr.label=shared-aes --source-cluster-id cluster-1 --destination-cluster-id cluster-9');
    expect(answer).toEqual({ error_code: 1, data: 'No cluster with id cluster-9' });
  });
});
