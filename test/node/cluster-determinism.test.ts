/**
 * Seeded determinism does not depend on read-only requests: the same seeded script, run once
 * plain and once with many extra reads interleaved (user list, key list, hsm-info, sync status,
 * audit reads through an appliance-user session that logs in and out, the cluster's own sync
 * status), answers its own commands byte-identically — same key references, key material
 * (public keys, check values), signatures, ciphertexts and token timeouts.
 */
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster.ts';
import { memoryOnlyStorage } from '../../src/cluster/endpoint.ts';
import { inProcessSpawner } from '../../src/cluster/in-process-spawn.ts';
import type { ClusterSession } from '../../src/cluster/session.ts';
import { toHex } from '../../src/crypto/bytes.ts';
import { TEST_PASSWORD_COST } from '../../src/crypto/password.ts';
import type { Op } from '../../src/hsm/policy.ts';

type Step = { who: 'admin' | 'cu'; op: Op; args: Record<string, unknown> };

const EC = { keyType: 'ec', curve: 'prime256v1', publicLabel: 'ec-pub', privateLabel: 'ec', privateAttributes: { sign: 'true' } };
const SCRIPT: readonly Step[] = [
  { who: 'admin', op: 'cluster.activate', args: { password: 'admin-pass-1' } },
  { who: 'admin', op: 'session.login', args: { username: 'admin', role: 'admin', password: 'admin-pass-1' } },
  { who: 'admin', op: 'user.create', args: { username: 'cu1', role: 'crypto-user', password: 'cu1-pass-1' } },
  { who: 'cu', op: 'session.login', args: { username: 'cu1', role: 'crypto-user', password: 'cu1-pass-1' } },
  { who: 'cu', op: 'key.generate-asymmetric-pair', args: EC },
  { who: 'cu', op: 'key.generate-symmetric', args: { keyType: 'aes', keyLengthBytes: 32, label: 'aes', attributes: { encrypt: 'true', decrypt: 'true' } } },
  { who: 'cu', op: 'crypto.sign', args: { mechanism: 'ecdsa', keyFilter: ['attr.label=ec'], hashFunction: 'sha256', data: new Uint8Array([1, 2, 3]) } },
  { who: 'cu', op: 'crypto.encrypt', args: { mechanism: 'aes-gcm', keyFilter: ['attr.label=aes'], data: new Uint8Array([4, 5, 6]) } },
  { who: 'admin', op: 'user.create', args: { username: 'cu2', role: 'crypto-user', password: 'cu2-pass-1' } },
  { who: 'cu', op: 'key.generate-asymmetric-pair', args: { ...EC, publicLabel: 'ec2-pub', privateLabel: 'ec2' } },
  { who: 'cu', op: 'key.set-attribute', args: { filter: ['attr.label=ec2'], name: 'label', value: 'ec2-renamed' } },
  { who: 'cu', op: 'crypto.sign', args: { mechanism: 'ecdsa', keyFilter: ['attr.label=ec2-renamed'], hashFunction: 'sha256', data: new Uint8Array([7]) } },
  { who: 'admin', op: 'quorum.draw-approval-data', args: {} },
  { who: 'cu', op: 'key.generate-symmetric', args: { keyType: 'aes', keyLengthBytes: 16, label: 'aes2', session: true } },
  { who: 'cu', op: 'key.list', args: { verbose: true } },
];

/** JSON with byte arrays as hex, so outputs compare as strings. */
function show(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? `hex:${toHex(v)}` : v));
}

/** Many read-only requests of every kind the page's inspectors make, through several sessions. */
async function extraReads(cluster: Cluster, sessions: { admin: ClusterSession; cu: ClusterSession }, round: number): Promise<void> {
  for (const session of [sessions.admin, sessions.cu]) {
    for (let i = 0; i < 1 + (round % 3); i++) {
      await session.request('user.list', {});
      await session.request('key.list', { verbose: i % 2 === 0 });
      await session.request('hsm.info', {});
      await session.request('hsm.sync-status', {});
      await session.request('quorum.token-list', {});
    }
  }
  await cluster.syncStatus();
  const auditor = cluster.openSession();
  await auditor.request('session.login', { username: 'app_user', role: 'appliance', password: 'password' });
  await auditor.request('audit.read', {});
  await auditor.request('hsm.sync-status', {});
  await auditor.request('session.logout', {});
}

async function runScript(withExtraReads: boolean): Promise<string[]> {
  const cluster = await Cluster.create({ hsms: 3, seed: 'reads-do-not-count', spawn: inProcessSpawner(memoryOnlyStorage), passwordCost: TEST_PASSWORD_COST });
  try {
    const sessions = { admin: cluster.openSession(), cu: cluster.openSession() };
    const outputs: string[] = [];
    for (const [i, step] of SCRIPT.entries()) {
      if (withExtraReads) await extraReads(cluster, sessions, i);
      const answer = await sessions[step.who].request(step.op, step.args as never);
      outputs.push(`${step.op} ${show(answer)}`);
      // a token generated from the drawn approval data: its listing shows the HSM clock (time left)
      if (step.op === 'quorum.draw-approval-data' && answer.error_code === 0) {
        const approvalData = (answer.data as { 'approval-data': Uint8Array })['approval-data'];
        outputs.push(show(await sessions.admin.request('quorum.token-generate', { service: 'user', approvalData })));
        if (withExtraReads) await extraReads(cluster, sessions, i);
        outputs.push(show(await sessions.admin.request('quorum.token-list', {})));
      }
    }
    return outputs;
  } finally {
    cluster.dispose();
  }
}

describe('seeded determinism and read-only requests', () => {
  it('answers a seeded script identically with or without many extra reads interleaved', async () => {
    const plain = await runScript(false);
    const withReads = await runScript(true);
    expect(plain.every((line) => !line.includes('"error_code":1')), plain.join('\n')).toBe(true);
    expect(withReads).toEqual(plain);
    // the comparison is not vacuous: the script made keys, signatures and a ciphertext
    expect(plain.join('\n')).toMatch(/"signature":"[A-Za-z0-9+/=]{40,}"/);
    expect(plain.join('\n')).toMatch(/token-timeout-seconds/);
  });
});
