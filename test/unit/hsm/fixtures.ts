/**
 * Shared test worlds for the HSM tests: a seeded HSM over MemoryStorage with a virtual clock and
 * cheap password hashing, plus helpers to activate it, create users and log them in.
 * @module
 */
import { expect } from 'vitest';
import { TEST_PASSWORD_COST } from '../../../src/crypto/password.ts';
import { seededRandom } from '../../../src/crypto/random.ts';
import { virtualClock } from '../../../src/hsm/clock.ts';
import type { Envelope, Failure, Success } from '../../../src/hsm/envelope.ts';
import { Hsm, type HsmOptions } from '../../../src/hsm/hsm.ts';
import type { AnyRequest, CliRoleArg } from '../../../src/hsm/requests.ts';
import { decodeState } from '../../../src/hsm/serialize.ts';
import type { HsmState } from '../../../src/hsm/state.ts';
import { MemoryStorage } from '../../../src/store/memory.ts';

export const ADMIN_PASSWORD = 'admin-pass-1';
export const CU_PASSWORD = 'crypto-pass-1';

export function testOptions(seed = 'hsm-test', extra: Partial<HsmOptions> = {}): HsmOptions {
  return {
    random: seededRandom(seed),
    clock: virtualClock(),
    storage: new MemoryStorage(),
    passwordCost: TEST_PASSWORD_COST,
    ...extra,
  };
}

export async function openTestHsm(seed = 'hsm-test', extra: Partial<HsmOptions> = {}): Promise<{ hsm: Hsm; storage: MemoryStorage; opts: HsmOptions }> {
  const opts = testOptions(seed, extra);
  const hsm = await Hsm.open(opts);
  return { hsm, storage: opts.storage as MemoryStorage, opts };
}

/** The persisted state, read back from storage (tests only). */
export async function storedState(storage: MemoryStorage): Promise<HsmState> {
  const bytes = await storage.load();
  if (!bytes) throw new Error('nothing stored');
  return decodeState(bytes);
}

export function expectOk<T = unknown>(env: Envelope): T {
  if (env.error_code !== 0) throw new Error(`expected success, got ${JSON.stringify(env)}`);
  return (env as Success<T>).data;
}

export function expectFail(env: Envelope, reason: Failure['reason']): Failure {
  expect(env.error_code, JSON.stringify(env)).toBe(1);
  const f = env as Failure;
  expect(f.reason, f.data).toBe(reason);
  return f;
}

export async function login(hsm: Hsm, username: string, role: CliRoleArg, password: string): Promise<string> {
  const data = expectOk<{ session: string }>(await hsm.handle({ op: 'session.login', args: { username, role, password } }));
  return data.session;
}

export async function createUser(hsm: Hsm, adminSession: string, username: string, role: 'admin' | 'crypto-user', password: string): Promise<void> {
  expectOk(await hsm.handle({ op: 'user.create', session: adminSession, args: { username, role, password } }));
}

/** An activated HSM with an admin session and two crypto users (alice, bob) logged in. */
export async function activatedWorld(seed = 'hsm-world', extra: Partial<HsmOptions> = {}) {
  const { hsm, storage, opts } = await openTestHsm(seed, extra);
  expectOk(await hsm.handle({ op: 'cluster.activate', args: { password: ADMIN_PASSWORD } }));
  const admin = await login(hsm, 'admin', 'admin', ADMIN_PASSWORD);
  await createUser(hsm, admin, 'alice', 'crypto-user', CU_PASSWORD);
  await createUser(hsm, admin, 'bob', 'crypto-user', CU_PASSWORD);
  const alice = await login(hsm, 'alice', 'crypto-user', CU_PASSWORD);
  const bob = await login(hsm, 'bob', 'crypto-user', CU_PASSWORD);
  return { hsm, storage, opts, admin, alice, bob };
}

/** Generate an AES key as `session`'s user; returns its key reference. */
export async function generateAes(hsm: Hsm, session: string, label: string, extra: Partial<Extract<AnyRequest, { op: 'key.generate-symmetric' }>['args']> = {}): Promise<string> {
  const data = expectOk<{ key: { 'key-reference': string } } & { 'key-reference'?: string }>(
    await hsm.handle({ op: 'key.generate-symmetric', session, args: { keyType: 'aes', label, keyLengthBytes: 32, ...extra } }),
  );
  const ref = data['key-reference'] ?? data.key?.['key-reference'];
  if (!ref) throw new Error(`no key reference in ${JSON.stringify(data)}`);
  return ref;
}
