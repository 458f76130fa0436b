/**
 * Secrets never cross the worker boundary in clear. Every message between the cluster client and
 * its worker_threads HSMs is recorded during a whole scenario (activation, users, keys of every
 * type, sign, MAC, encrypt, wrap, a stop + restart with resync, adding an HSM); afterwards the
 * test reads every HSM's snapshot from disk (which only a test may do), collects the cluster key,
 * every secret and private key's material and every password hash, and asserts that none of them
 * appears in any message — as raw bytes, nor inside any hex or base64 string.
 */
import * as fs from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Cluster } from '../../src/cluster/cluster.ts';
import { nodeSpawner } from '../../src/node/spawn-hsm.ts';
import { decodeState } from '../../src/hsm/serialize.ts';
import { FileStorage } from '../../src/store/file.ts';
import { activateWithUser, makeEcKey, newCluster, okData, tempDir } from './cluster-helpers.ts';

const clusters: Cluster[] = [];
afterEach(() => {
  while (clusters.length > 0) clusters.pop()!.dispose();
});

/** All bytes a message carries: binary fields, plus hex and base64 strings decoded. */
function collectBytes(value: unknown, out: Buffer[], seen = new Set<unknown>()): void {
  if (value === null || value === undefined) return;
  if (value instanceof Uint8Array) {
    out.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    return;
  }
  if (value instanceof ArrayBuffer) {
    out.push(Buffer.from(value));
    return;
  }
  if (typeof value === 'string') {
    out.push(Buffer.from(value, 'utf8'));
    const hex = value.replace(/^0x/, '');
    if (hex.length >= 16 && /^[0-9a-fA-F]+$/.test(hex) && hex.length % 2 === 0) out.push(Buffer.from(hex, 'hex'));
    if (value.length >= 16 && /^[A-Za-z0-9+/]+=*$/.test(value)) out.push(Buffer.from(value, 'base64'));
    for (const part of value.match(/[0-9a-fA-F]{32,}/g) ?? []) out.push(Buffer.from(part.length % 2 ? part.slice(1) : part, 'hex'));
    for (const part of value.match(/[A-Za-z0-9+/]{24,}={0,2}/g) ?? []) out.push(Buffer.from(part, 'base64'));
    return;
  }
  if (typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  for (const item of Array.isArray(value) ? value : Object.values(value)) collectBytes(item, out, seen);
}

describe('the worker boundary', () => {
  it('carries no key material, cluster key or password hash in clear during a whole scenario', async () => {
    const messages: unknown[] = [];
    const dir = await tempDir('cluster-boundary-');
    const cluster = await newCluster({
      hsms: 3,
      storage: { kind: 'file', dir },
      spawn: nodeSpawner({ onMessage: (_direction, message) => messages.push(structuredClone(message)) }),
    });
    clusters.push(cluster);
    const { admin, cu } = await activateWithUser(cluster);
    okData(await admin.request('user.create', { username: 'cu2', role: 'crypto-user', password: 'cu2-pass-1' }));
    okData(await admin.request('user.change-password', { username: 'cu2', role: 'crypto-user', password: 'cu2-pass-2' }));

    const aes = okData<{ key: { 'key-reference': string } }>(
      await cu.request('key.generate-symmetric', { keyType: 'aes', label: 'aes', keyLengthBytes: 32, attributes: { encrypt: 'true', decrypt: 'true' } }),
    ).key['key-reference'];
    const wrapper = okData<{ key: { 'key-reference': string } }>(
      await cu.request('key.generate-symmetric', { keyType: 'aes', label: 'wrapper', keyLengthBytes: 16, attributes: { wrap: 'true', unwrap: 'true' } }),
    ).key['key-reference'];
    const hmacKey = okData<{ key: { 'key-reference': string } }>(
      await cu.request('key.generate-symmetric', { keyType: 'generic-secret', label: 'mac', keyLengthBytes: 32 }),
    ).key['key-reference'];
    const ec = await makeEcKey(cu, 'ec');
    okData(await cu.request('key.generate-asymmetric-pair', { keyType: 'ec', curve: 'secp256k1', publicLabel: 'k1-pub', privateLabel: 'k1' }));
    okData(await cu.request('key.generate-asymmetric-pair', { keyType: 'rsa', modulusSizeBits: 2048, publicExponent: '65537', publicLabel: 'rsa-pub', privateLabel: 'rsa' }));
    okData(await cu.request('key.generate-symmetric', { keyType: 'aes', label: 'session', keyLengthBytes: 16, session: true }));
    okData(await cu.request('key.share', { filter: [`key-reference=${aes}`], username: 'cu2', role: 'crypto-user' }));

    okData(await cu.request('crypto.sign', { mechanism: 'ecdsa', keyFilter: [`key-reference=${ec.privateRef}`], hashFunction: 'sha256', data: new Uint8Array(100) }));
    okData(await cu.request('crypto.mac-generate', { keyFilter: [`key-reference=${hmacKey}`], hashFunction: 'sha256', data: new Uint8Array(64) }));
    okData(await cu.request('crypto.encrypt', { mechanism: 'aes-gcm', keyFilter: [`key-reference=${aes}`], data: new Uint8Array(70_000), tagLengthBits: 128 }));
    okData(await cu.request('key.wrap', { mechanism: 'aes-gcm', payloadFilter: [`key-reference=${aes}`], wrappingFilter: [`key-reference=${wrapper}`], tagLengthBits: 128 }));
    okData(await cu.request('key.export-pem', { filter: [`key-reference=${ec.publicRef}`] }));
    okData(await cu.request('key.list', { verbose: true }));

    cluster.stopHsm(2);
    await makeEcKey(cu, 'while-stopped');
    await cluster.startHsm(2);
    await cluster.addHsm();
    expect((await cluster.syncStatus()).inSync).toBe(true);

    // What the HSMs hold, read from their files.
    const secrets: { what: string; bytes: Buffer }[] = [];
    let publicPoint: Buffer | undefined;
    for (const hsm of cluster.hsms) {
      const snapshot = await new FileStorage(fs, dir, `${cluster.name}-hsm${hsm.index}`).load();
      const state = decodeState(snapshot!);
      secrets.push({ what: `cluster key (HSM ${hsm.index})`, bytes: Buffer.from(state.clusterKey) });
      for (const user of state.users) secrets.push({ what: `password hash of ${user.username}`, bytes: Buffer.from(user.password.hash) });
      for (const key of state.keys) {
        if (key.attributes['class'] === 'public-key') {
          if (key.handle === Number.parseInt(ec.publicRef.slice(2), 16)) publicPoint = Buffer.from(key.material);
          continue;
        }
        secrets.push({ what: `material of key ${key.handle} (${String(key.attributes['key-type'])})`, bytes: Buffer.from(key.material) });
      }
    }
    expect(secrets.length).toBeGreaterThan(4 * (1 + 4 + 7));

    const chunks: Buffer[] = [];
    for (const message of messages) collectBytes(message, chunks);
    const haystack = Buffer.concat(chunks);
    // Positive control: public key bytes are shown in answers (ec-point), so the search does find things.
    expect(publicPoint).toBeDefined();
    expect(haystack.includes(publicPoint!.subarray(-16))).toBe(true);

    const leaks = secrets.filter(({ bytes }) => haystack.includes(bytes.subarray(-16)));
    expect(leaks.map((l) => l.what)).toEqual([]);
    console.log(`boundary test: ${messages.length} messages (${haystack.length} bytes) searched for ${secrets.length} secrets: none found`);
  });
});
