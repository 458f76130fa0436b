/**
 * A valid request for every operation, in a prepared world: an activated HSM with an admin, two
 * crypto users (alice owns the keys, bob gets some shared), a logged-out crypto user carol, and
 * alice's keys (AES for cipher/wrap, an extractable AES payload, a shared AES key, an HMAC key, an
 * EC pair) plus outputs made with them (ciphertext, signature, MAC, wrapped key, masked object,
 * PEM). The world is built once and reopened from its snapshot for each test.
 * @module
 */
import { fromBase64, fromHex } from '../../../src/crypto/bytes.ts';
import { prepareRegistrations, type Registrations } from './quorum-fixtures.ts';
import { TEST_PASSWORD_COST } from '../../../src/crypto/password.ts';
import { seededRandom } from '../../../src/crypto/random.ts';
import { virtualClock } from '../../../src/hsm/clock.ts';
import { Hsm } from '../../../src/hsm/hsm.ts';
import type { Op, Role } from '../../../src/hsm/policy.ts';
import type { AnyRequest, CliRoleArg, OpArgs } from '../../../src/hsm/requests.ts';
import { MemoryStorage } from '../../../src/store/memory.ts';
import { ADMIN_PASSWORD, activatedWorld, CU_PASSWORD, expectOk, generateAes, login, openTestHsm } from './fixtures.ts';

export interface Refs {
  aes: string;
  payload: string;
  shared: string;
  mac: string;
  ecPublic: string;
  ecPrivate: string;
  pem: string;
  ciphertext: Uint8Array;
  cipherIv: Uint8Array;
  signature: Uint8Array;
  macValue: Uint8Array;
  wrapped: Uint8Array;
  wrapIv: Uint8Array;
  masked: Uint8Array;
  /** Signed registration tokens of admin and alice (quorum keys), made in the prepared world. */
  registration: Registrations;
}

export interface PreparedWorld {
  /** Snapshot of the activated world (keys, users), or of a fresh unactivated HSM. */
  readonly snapshot: Uint8Array;
  readonly refs: Refs;
}

export const DATA = new TextEncoder().encode('permission matrix data');

const ref = (r: string): string[] => [`key-reference=${r}`];

export async function prepareActivatedWorld(): Promise<PreparedWorld> {
  const { hsm, storage, alice } = await activatedWorld('matrix');
  const admin = await login(hsm, 'admin', 'admin', ADMIN_PASSWORD);
  expectOk(await hsm.handle({ op: 'user.create', session: admin, args: { username: 'carol', role: 'crypto-user', password: CU_PASSWORD } }));
  const aes = await generateAes(hsm, alice, 'aes', { attributes: { encrypt: 'true', decrypt: 'true', wrap: 'true', unwrap: 'true' } });
  const payload = await generateAes(hsm, alice, 'payload', { keyLengthBytes: 16 });
  const shared = await generateAes(hsm, alice, 'shared', { shareCryptoUsers: ['bob'] });
  const mac = expectOk<{ key: { 'key-reference': string } }>(
    await hsm.handle({ op: 'key.generate-symmetric', session: alice, args: { keyType: 'generic-secret', label: 'mac', keyLengthBytes: 32, attributes: { sign: 'true', verify: 'true' } } }),
  ).key['key-reference'];
  const pair = expectOk<{ public_key: { 'key-reference': string }; private_key: { 'key-reference': string } }>(
    await hsm.handle({ op: 'key.generate-asymmetric-pair', session: alice, args: { keyType: 'ec', curve: 'prime256v1', publicLabel: 'ec-pub', privateLabel: 'ec-priv', publicAttributes: { verify: 'true' }, privateAttributes: { sign: 'true' } } }),
  );
  const ecPublic = pair.public_key['key-reference'];
  const ecPrivate = pair.private_key['key-reference'];
  const pem = expectOk<{ pem: string }>(await hsm.handle({ op: 'key.export-pem', session: alice, args: { filter: ref(ecPublic) } })).pem;
  const enc = expectOk<{ iv: string; ciphertext: string }>(
    await hsm.handle({ op: 'crypto.encrypt', session: alice, args: { mechanism: 'aes-gcm', keyFilter: ref(aes), data: DATA } }),
  );
  const sig = expectOk<{ signature: string }>(
    await hsm.handle({ op: 'crypto.sign', session: alice, args: { mechanism: 'ecdsa', keyFilter: ref(ecPrivate), hashFunction: 'sha256', data: DATA } }),
  );
  const macOut = expectOk<{ mac: string }>(
    await hsm.handle({ op: 'crypto.mac-generate', session: alice, args: { keyFilter: ref(mac), hashFunction: 'sha256', data: DATA } }),
  );
  const wrap = expectOk<{ iv: string; wrapped_key_data: string }>(
    await hsm.handle({ op: 'key.wrap', session: alice, args: { mechanism: 'aes-gcm', payloadFilter: ref(payload), wrappingFilter: ref(aes), tagLengthBits: 128 } }),
  );
  const masked = expectOk<{ 'masked-object': Uint8Array }>(
    await hsm.handle({ op: 'object.extract-masked', session: alice, args: { filter: ref(payload) } }),
  )['masked-object'];
  const registration = await prepareRegistrations(hsm, { admin, alice });
  const snapshot = await storage.load();
  return {
    snapshot: snapshot!,
    refs: {
      aes, payload, shared, mac, ecPublic, ecPrivate, pem, masked, registration,
      ciphertext: fromBase64(enc.ciphertext),
      cipherIv: fromHex(enc.iv.slice(2)),
      signature: fromBase64(sig.signature),
      macValue: fromBase64(macOut.mac),
      wrapped: fromBase64(wrap.wrapped_key_data),
      wrapIv: fromHex(wrap.iv.slice(2)),
    },
  };
}

export async function prepareUnactivatedWorld(refs: Refs): Promise<PreparedWorld> {
  const { storage } = await openTestHsm('matrix-unactivated');
  return { snapshot: (await storage.load())!, refs };
}

/** A fresh HSM from a prepared snapshot. */
export async function reopen(world: PreparedWorld, seed = 'reopen'): Promise<Hsm> {
  const storage = new MemoryStorage();
  await storage.save(world.snapshot);
  return Hsm.open({ random: seededRandom(seed), clock: virtualClock(), storage, passwordCost: TEST_PASSWORD_COST });
}

/** Who plays each role, and how they log in (the unactivated admin only exists before activation). */
export const ROLE_LOGIN: Record<Exclude<Role, 'unauthenticated'>, { username: string; role: CliRoleArg; password: string }> = {
  'unactivated-admin': { username: 'admin', role: 'admin', password: 'password' },
  admin: { username: 'admin', role: 'admin', password: ADMIN_PASSWORD },
  'crypto-user': { username: 'alice', role: 'crypto-user', password: CU_PASSWORD },
  'appliance-user': { username: 'app_user', role: 'appliance', password: 'password' },
};

/** A session of `role` on `hsm` (undefined for unauthenticated). */
export async function sessionFor(hsm: Hsm, role: Role): Promise<string | undefined> {
  if (role === 'unauthenticated') return undefined;
  const who = ROLE_LOGIN[role];
  return login(hsm, who.username, who.role, who.password);
}

/** A valid request for `op` made by `role` in the prepared world. */
export function validArgs<O extends Op>(op: O, refs: Refs, role: Role): OpArgs[O] {
  const self = role === 'unauthenticated' ? ROLE_LOGIN['crypto-user'] : ROLE_LOGIN[role];
  const all: { [K in Op]: OpArgs[K] } = {
    'hsm.info': {},
    'cluster.activate': { password: ADMIN_PASSWORD },
    'session.login': { username: 'alice', role: 'crypto-user', password: CU_PASSWORD },
    'session.logout': {},
    'user.list': {},
    'user.change-own-password': { username: self.username, role: self.role, password: 'changed-pass-1' },
    'user.change-password': { username: 'carol', role: 'crypto-user', password: 'changed-pass-2' },
    'user.create': { username: 'newbie', role: 'crypto-user', password: CU_PASSWORD },
    'user.delete': { username: 'carol', role: 'crypto-user' },
    'hsm.sync-status': {},
    'object.extract-masked': { filter: ref(refs.aes) },
    'object.insert-masked': { blob: refs.masked },
    'key.generate-symmetric': { keyType: 'aes', label: 'new-aes', keyLengthBytes: 16 },
    'key.generate-asymmetric-pair': { keyType: 'ec', curve: 'secp256k1', publicLabel: 'p', privateLabel: 'q' },
    'key.import-pem': { pem: refs.pem, label: 'imported', keyTypeClass: 'ec-public' },
    'key.export-pem': { filter: ref(refs.ecPublic) },
    'key.delete': { filter: ref(refs.payload) },
    'key.export-secret': { filter: ref(refs.payload) },
    'key.import-secret': { keyType: 'aes', label: 'imported-secret', material: new Uint8Array(16).fill(7) },
    'key.share': { filter: ref(refs.aes), username: 'bob', role: 'crypto-user' },
    'key.unshare': { filter: ref(refs.shared), username: 'bob', role: 'crypto-user' },
    'key.set-attribute': { filter: ref(refs.aes), name: 'label', value: 'renamed' },
    'key.set-trusted': { filter: ref(refs.aes), value: 'true' },
    'key.wrap': { mechanism: 'aes-gcm', payloadFilter: ref(refs.payload), wrappingFilter: ref(refs.aes), tagLengthBits: 128 },
    'key.unwrap': { mechanism: 'aes-gcm', filter: ref(refs.aes), keyTypeClass: 'aes', label: 'unwrapped', data: refs.wrapped, iv: refs.wrapIv, tagLengthBits: 128 },
    'key.list': {},
    'crypto.encrypt': { mechanism: 'aes-gcm', keyFilter: ref(refs.aes), data: DATA },
    'crypto.decrypt': { mechanism: 'aes-gcm', keyFilter: ref(refs.aes), data: refs.ciphertext, iv: refs.cipherIv },
    'crypto.sign': { mechanism: 'ecdsa', keyFilter: ref(refs.ecPrivate), hashFunction: 'sha256', data: DATA },
    'crypto.verify': { mechanism: 'ecdsa', keyFilter: ref(refs.ecPublic), hashFunction: 'sha256', data: DATA, signature: refs.signature },
    'crypto.mac-generate': { keyFilter: ref(refs.mac), hashFunction: 'sha256', data: DATA },
    'crypto.mac-verify': { keyFilter: ref(refs.mac), hashFunction: 'sha256', data: DATA, mac: refs.macValue },
    'crypto.digest': { hashFunction: 'sha256', data: DATA },
    'audit.read': {},
    'session.mfa-challenge': { username: 'alice', role: 'crypto-user' },
    'quorum.list-values': {},
    'quorum.list-timeouts': {},
    'quorum.token-list': {},
    'quorum.draw-approval-data': {},
    'quorum.token-generate': { service: role === 'crypto-user' ? 'key-usage' : 'user', approvalData: new Uint8Array(32).fill(7) },
    'quorum.token-discard': { token: new Uint8Array(32) },
    'quorum.token-delete': { scope: 'all' },
    'quorum.set-value': { service: 'user', value: 1 },
    'quorum.set-timeout': { generated: 300 },
    'user.register-quorum-key': role === 'crypto-user' ? refs.registration.alice : refs.registration.admin,
    'user.mfa-challenge': { username: self.username, role: self.role },
    'user.change-mfa': { username: self.username, role: self.role, deregister: true },
  };
  return all[op];
}

export function request<O extends Op>(op: O, session: string | undefined, args: OpArgs[O]): AnyRequest {
  return { op, session, args } as AnyRequest;
}
