/**
 * Quorum test helpers: RSA-2048 approver keys made and used with node:crypto (independent of our
 * RSA code: a signature is `privateEncrypt` of DigestInfo(SHA-256, token) with PKCS#1 v1.5
 * padding, which is RSASSA-PKCS1-v1_5 over a pre-hashed input), registration of quorum keys,
 * token generation and approval files, all through HSM requests.
 * @module
 */
import { constants, generateKeyPairSync, privateEncrypt, type KeyObject } from 'node:crypto';
import { digestInfo } from '../../../src/crypto/rsa.ts';
import type { Hsm } from '../../../src/hsm/hsm.ts';
import type { ApprovalArg } from '../../../src/hsm/requests.ts';
import { expectOk } from './fixtures.ts';

export interface ApproverKey {
  /** SubjectPublicKeyInfo DER. */
  readonly spki: Uint8Array;
  readonly privateKey: KeyObject;
  readonly publicPem: string;
  readonly privatePem: string;
  /** RSASSA-PKCS1-v1_5 over DigestInfo(SHA-256, token), by node:crypto. */
  sign(token: Uint8Array): Uint8Array;
}

const cache = new Map<string, ApproverKey>();

/** A cached RSA key pair per name (`bits` 2048 unless a test wants a wrong size). */
export function approverKey(name: string, bits = 2048): ApproverKey {
  const id = `${name}/${bits}`;
  const known = cache.get(id);
  if (known) return known;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 65537 });
  const key: ApproverKey = {
    spki: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
    privateKey,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    sign: (token) => new Uint8Array(privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, digestInfo('sha256', token))),
  };
  cache.set(id, key);
  return key;
}

let counter = 0;
/** Distinct approval data for each call (deterministic). */
export function approvalData(): Uint8Array {
  counter += 1;
  const data = new Uint8Array(64);
  new DataView(data.buffer).setUint32(0, counter);
  data.fill(0x5a, 4);
  return data;
}

/** Generate a token for `service` in `session`; returns its bytes. */
export async function generateToken(hsm: Hsm, session: string, service: ApprovalService): Promise<Uint8Array> {
  const data = expectOk<{ token: Uint8Array }>(await hsm.handle({ op: 'quorum.token-generate', session, args: { service, approvalData: approvalData() } }));
  return data.token;
}
type ApprovalService = 'user' | 'quorum' | 'cluster' | 'registration' | 'key-usage' | 'key-management';

/** Register `key` as the quorum key of the user logged in as `session`. */
export async function registerQuorumKey(hsm: Hsm, session: string, key: ApproverKey): Promise<void> {
  const token = await generateToken(hsm, session, 'registration');
  expectOk(await hsm.handle({ op: 'user.register-quorum-key', session, args: { publicKey: key.spki, token, signature: key.sign(token) } }));
}

/** An approval argument carrying signatures by each `[username, key]`. */
export function approval(token: Uint8Array, approvers: readonly (readonly [string, ApproverKey])[]): ApprovalArg {
  return { token, signatures: approvers.map(([username, key]) => ({ username, signature: key.sign(token) })) };
}

export interface Registration {
  readonly publicKey: Uint8Array;
  readonly token: Uint8Array;
  readonly signature: Uint8Array;
}
export type Registrations = { readonly admin: Registration; readonly alice: Registration };

/** Signed registration tokens for admin and alice, ready to be registered later (op fixtures). */
export async function prepareRegistrations(hsm: Hsm, sessions: { admin: string; alice: string }): Promise<Registrations> {
  const make = async (session: string, key: ApproverKey): Promise<Registration> => {
    const token = await generateToken(hsm, session, 'registration');
    return { publicKey: key.spki, token, signature: key.sign(token) };
  };
  return { admin: await make(sessions.admin, approverKey('fixture-admin')), alice: await make(sessions.alice, approverKey('fixture-alice')) };
}
