/**
 * Shared fixtures of the browser cluster tests and benchmark: read a request's answer as a
 * success, and bring a fresh cluster to the state most of them start from (activated, an admin
 * logged in, a crypto user created and logged in in a session of its own).
 * @module
 */
import type { ClusterSession } from '../../src/cluster/session.ts';
import type { Envelope } from '../../src/hsm/envelope.ts';

/** The data of a successful answer; throws, naming the failure, if the request failed. */
export function okData<T = Record<string, unknown>>(answer: Envelope | undefined): T {
  if (answer === undefined) throw new Error('expected success, got no answer');
  if (answer.error_code !== 0) throw new Error(`expected success, got: ${answer.data} (${answer.reason})`);
  return answer.data as T;
}

/** Who to make: the admin password to activate with, and the crypto user's name and password. */
export interface CryptoUserSetup {
  adminPassword: string;
  username: string;
  password: string;
}

/**
 * Activates `cluster` with `setup.adminPassword`, logs the admin in, creates the crypto user, and
 * logs it in in a second session. Answers both sessions.
 */
export async function activateWithCryptoUser(
  cluster: { openSession(): ClusterSession },
  setup: CryptoUserSetup,
): Promise<{ admin: ClusterSession; cryptoUser: ClusterSession }> {
  const admin = cluster.openSession();
  okData(await admin.request('cluster.activate', { password: setup.adminPassword }));
  okData(await admin.request('session.login', { username: 'admin', role: 'admin', password: setup.adminPassword }));
  okData(await admin.request('user.create', { username: setup.username, role: 'crypto-user', password: setup.password }));
  const cryptoUser = cluster.openSession();
  okData(await cryptoUser.request('session.login', { username: setup.username, role: 'crypto-user', password: setup.password }));
  return { admin, cryptoUser };
}
