/**
 * Quorum tokens and MFA logins across a cluster of real worker_threads HSMs, through
 * ClusterSession directly (no CLI): a token spent through one HSM is refused when presented again
 * whichever HSM answers, and an MFA session survives an HSM restart on the HSMs it is logged in
 * on, says which HSM it lost, and covers it again after a new MFA login.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Cluster } from '../../src/cluster/cluster.ts';
import type { ClusterSession } from '../../src/cluster/session.ts';
import type { SignedChallenge } from '../../src/hsm/requests.ts';
import { approval, approverKey, type ApproverKey } from '../unit/hsm/quorum-fixtures.ts';
import { activateWithUser, makeEcKey, newCluster, okData } from './cluster-helpers.ts';

const clusters: Cluster[] = [];
afterEach(() => {
  while (clusters.length > 0) clusters.pop()!.dispose();
});
async function track(cluster: Promise<Cluster>): Promise<Cluster> {
  const c = await cluster;
  clusters.push(c);
  return c;
}

/** A token for `service` in `session`: approval data drawn by one HSM, stored by every HSM. */
async function generateToken(session: ClusterSession, service: 'registration' | 'user'): Promise<Uint8Array> {
  const drawn = okData<{ 'approval-data': Uint8Array }>(await session.request('quorum.draw-approval-data', {}));
  return okData<{ token: Uint8Array }>(await session.request('quorum.token-generate', { service, approvalData: drawn['approval-data'] })).token;
}

async function registerQuorumKey(session: ClusterSession, key: ApproverKey): Promise<void> {
  const token = await generateToken(session, 'registration');
  okData(await session.request('user.register-quorum-key', { publicKey: key.spki, token, signature: key.sign(token) }));
}

function signAll(answer: { hsms: { unsigned: Uint8Array }[] }, key: ApproverKey): SignedChallenge[] {
  return answer.hsms.map((h) => ({ unsigned: h.unsigned, signed: key.sign(h.unsigned) }));
}

describe('quorum tokens across the cluster', () => {
  it('refuses a spent token whichever HSM answers, though only one HSM judged the request', async () => {
    const cluster = await track(newCluster({ hsms: 3 }));
    const { admin } = await activateWithUser(cluster);
    okData(await admin.request('user.create', { username: 'admin2', role: 'admin', password: 'admin-pass-2' }));
    const admin2 = cluster.openSession();
    okData(await admin2.request('session.login', { username: 'admin2', role: 'admin', password: 'admin-pass-2' }));
    const [k1, k2] = [approverKey('cluster-admin'), approverKey('cluster-admin2')];
    await registerQuorumKey(admin, k1);
    await registerQuorumKey(admin2, k2);
    okData(await admin.request('quorum.set-value', { service: 'user', value: 2 }));

    const token = await generateToken(admin, 'user');
    const approved = approval(token, [['admin', k1], ['admin2', k2]]);
    // Without approval the write is refused; with two approvals it runs (on one HSM, then the
    // user record is copied to the others as a masked object — they never judged the token).
    expect(await admin.request('user.create', { username: 'cu9', role: 'crypto-user', password: 'cu9-pass-1' })).toMatchObject({ error_code: 1, reason: 'quorum-required' });
    okData(await admin.request('user.create', { username: 'cu9', role: 'crypto-user', password: 'cu9-pass-1', approval: approved }));
    // Presented again: round robin over the write lane reaches each of the 3 HSMs in turn.
    for (const name of ['cu10', 'cu11', 'cu12', 'cu13']) {
      expect(await admin.request('user.create', { username: name, role: 'crypto-user', password: 'cu-pass-10', approval: approved })).toMatchObject({
        error_code: 1,
        reason: 'quorum-required',
      });
    }
    // No HSM lists the token any more (token-list is a read: ask each HSM in turn).
    for (let i = 0; i < 3; i++) expect(okData<{ tokens: unknown[] }>(await admin.request('quorum.token-list', {})).tokens).toEqual([]);
    const users = okData<{ users: { username: string }[] }>(await admin.request('user.list', {})).users.map((u) => u.username);
    expect(users).toContain('cu9');
    expect(users).not.toContain('cu10');
  });
});

describe('an MFA session when an HSM restarts', () => {
  it('keeps serving from the HSMs it is logged in on, names the one it lost, and covers it after a new MFA login', async () => {
    const cluster = await track(newCluster({ hsms: 2 }));
    const { cu } = await activateWithUser(cluster);
    const mfaKey = approverKey('cluster-mfa');
    const registration = okData<{ hsms: { unsigned: Uint8Array }[] }>(await cu.request('user.mfa-challenge', { username: 'cu1', role: 'crypto-user' }));
    expect(registration.hsms).toHaveLength(2);
    okData(await cu.request('user.change-mfa', { username: 'cu1', role: 'crypto-user', publicKey: mfaKey.spki, signedTokens: signAll(registration, mfaKey) }));

    const mfaLogin = async (session: ClusterSession) => {
      const challenge = okData<{ hsms: { unsigned: Uint8Array }[] }>(await session.request('session.mfa-challenge', { username: 'cu1', role: 'crypto-user' }));
      return session.request('session.login', { username: 'cu1', role: 'crypto-user', password: 'cu1-pass-1', mfaTokens: signAll(challenge, mfaKey) });
    };
    const alice = cluster.openSession();
    // The password alone is refused now.
    expect(await alice.request('session.login', { username: 'cu1', role: 'crypto-user', password: 'cu1-pass-1' })).toMatchObject({ error_code: 1, reason: 'invalid-credentials' });
    okData(await mfaLogin(alice));
    const before = await makeEcKey(alice, 'before-restart');
    expect(alice.hsmsWithoutLogin).toEqual([]);

    cluster.stopHsm(1);
    await cluster.startHsm(1);
    // The MFA login cannot be replayed on the restarted HSM (its challenge needs the user's key).
    expect(alice.hsmsWithoutLogin).toEqual([1]);
    // Every request is answered by HSM 0 — none lands on HSM 1 as "not logged in".
    for (let i = 0; i < 6; i++) {
      const listed = await alice.request('key.list', { filter: [`key-reference=${before.privateRef}`] });
      expect(listed.error_code, JSON.stringify(listed.data)).toBe(0);
    }
    const signature = await alice.request('crypto.sign', { mechanism: 'ecdsa', keyFilter: [`key-reference=${before.privateRef}`], hashFunction: 'sha256', data: new Uint8Array([1]) });
    expect(signature.error_code).toBe(0);
    // A key made now is still copied to HSM 1 by the cluster's own sync: full coverage.
    const after = await makeEcKey(alice, 'after-restart');
    expect(after.coverage).toBe('full');
    // A label change (a key write) misses HSM 1's login, so the cluster resyncs HSM 1.
    okData(await alice.request('key.set-attribute', { filter: [`key-reference=${after.privateRef}`], name: 'label', value: 'renamed' }));
    expect((await cluster.syncStatus()).inSync).toBe(true);

    // A new MFA login signs one challenge per live HSM and covers the cluster again.
    okData(await mfaLogin(alice));
    expect(alice.hsmsWithoutLogin).toEqual([]);
    cluster.stopHsm(0);
    const fromHsm1 = await alice.request('key.list', { filter: ['attr.label=renamed'] });
    expect(fromHsm1.error_code, JSON.stringify(fromHsm1.data)).toBe(0);
    expect(JSON.stringify(fromHsm1.data)).toContain(after.privateRef);
  });

  it('replays a password login on a restarted HSM, as the client SDK does', async () => {
    const cluster = await track(newCluster({ hsms: 2 }));
    const { cu } = await activateWithUser(cluster);
    cluster.stopHsm(0);
    await cluster.startHsm(0);
    expect(cu.hsmsWithoutLogin).toEqual([]);
    for (let i = 0; i < 4; i++) expect((await cu.request('key.list', {})).error_code).toBe(0);
  });
});
