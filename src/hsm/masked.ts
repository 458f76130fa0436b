/**
 * Masked objects (spec §1.3): a key or a user sealed inside the HSM so that only an HSM of the
 * same cluster (or a clone) can open it. AES-256-GCM under a masking key derived from the cluster
 * key; the format version, object kind and cluster id travel in clear in a header that is
 * authenticated as AAD. The byte layout is documented in docs/masked-objects.md.
 * @module
 */
import { aesGcmDecrypt, aesGcmEncrypt } from '../crypto/aes.ts';
import { concatBytes, equalBytes, fromUtf8, utf8 } from '../crypto/bytes.ts';
import { kdfCounterHmacSha256 } from '../crypto/kdf.ts';
import type { RandomSource } from '../crypto/random.ts';
import { HsmError } from './envelope.ts';
import { checkKey, checkUser, fromTaggedJson, toTaggedJson } from './serialize.ts';
import type { HsmState, KeyRecord, UserRecord } from './state.ts';

export const MASKED_MAGIC = utf8('HSMO');
export const MASKED_VERSION = 1;
export const MASKED_KIND = { key: 1, user: 2 } as const;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;

export type MaskedObject = { readonly kind: 'key'; readonly key: KeyRecord } | { readonly kind: 'user'; readonly user: UserRecord };

/**
 * A 32-byte key for one purpose, derived from the cluster key with the SP 800-108 counter-mode
 * KDF (label = purpose, context = cluster id). Only HSMs that hold the cluster key can derive it.
 */
export function deriveFromClusterKey(state: HsmState, purpose: string): Uint8Array {
  return kdfCounterHmacSha256(state.clusterKey, utf8(purpose), utf8(state.clusterId), 32);
}

function maskingKey(state: HsmState): Uint8Array {
  return deriveFromClusterKey(state, 'hsm-playground masked object v1');
}

function header(kind: number, clusterId: string): Uint8Array {
  const id = utf8(clusterId);
  if (id.length < 1 || id.length > 255) throw new Error(`cluster id must be 1 to 255 bytes, got ${id.length}`);
  return concatBytes(MASKED_MAGIC, Uint8Array.of(MASKED_VERSION, kind, id.length), id);
}

/** Seal a key (without its session binding) or a user (without its failed-login counter). */
export function maskObject(state: HsmState, object: MaskedObject, random: RandomSource): Uint8Array {
  const payload =
    object.kind === 'key'
      ? { kind: 'key', key: { ...object.key, sessionId: undefined } }
      : { kind: 'user', user: { ...object.user, failedLogins: 0 } };
  const aad = header(MASKED_KIND[object.kind], state.clusterId);
  const iv = random.bytes(IV_LENGTH);
  const sealed = aesGcmEncrypt(maskingKey(state), iv, utf8(toTaggedJson(payload)), aad);
  return concatBytes(aad, iv, sealed);
}

function refuse(message: string): never {
  throw new HsmError('bad-masked-object', message);
}

/**
 * Open a masked object made by an HSM of this cluster. Any other cluster's blob, any changed
 * bit, or a truncated blob is refused with reason 'bad-masked-object'.
 */
export function unmaskObject(state: HsmState, blob: unknown): MaskedObject {
  if (!(blob instanceof Uint8Array)) refuse('masked object must be bytes (a Uint8Array)');
  const minimum = MASKED_MAGIC.length + 3 + 1 + IV_LENGTH + TAG_LENGTH;
  if (blob.length < minimum) refuse(`Masked object is truncated: ${blob.length} bytes, at least ${minimum} expected`);
  for (let i = 0; i < MASKED_MAGIC.length; i++) {
    if (blob[i] !== MASKED_MAGIC[i]) refuse('Not a masked object: the blob does not start with "HSMO"');
  }
  const version = blob[4]!;
  if (version !== MASKED_VERSION) refuse(`Masked object format version ${version} is not supported (expected ${MASKED_VERSION})`);
  const kind = blob[5]!;
  if (kind !== MASKED_KIND.key && kind !== MASKED_KIND.user) refuse(`Masked object kind ${kind} is unknown (1 = key, 2 = user)`);
  const idLength = blob[6]!;
  const headerEnd = 7 + idLength;
  if (idLength === 0 || blob.length < headerEnd + IV_LENGTH + TAG_LENGTH) refuse('Masked object header is malformed');
  // Lenient decoding: a damaged id must still give a readable refusal, never a decoding error.
  const clusterId = new TextDecoder().decode(blob.subarray(7, headerEnd));
  if (!equalBytes(blob.subarray(7, headerEnd), utf8(state.clusterId))) {
    refuse(`Masked object belongs to cluster ${JSON.stringify(clusterId)}, not to this cluster (${state.clusterId}); it can only be inserted into the same cluster or a clone`);
  }
  const aad = blob.subarray(0, headerEnd);
  const iv = blob.subarray(headerEnd, headerEnd + IV_LENGTH);
  let plain: Uint8Array;
  try {
    plain = aesGcmDecrypt(maskingKey(state), iv, blob.subarray(headerEnd + IV_LENGTH), aad);
  } catch {
    refuse('Masked object failed authentication: it was changed or corrupted after extraction');
  }
  let payload: unknown;
  try {
    payload = fromTaggedJson(fromUtf8(plain));
    const p = payload as { kind?: unknown; key?: unknown; user?: unknown };
    const expected = kind === MASKED_KIND.key ? 'key' : 'user';
    if (p.kind !== expected) throw new Error(`payload kind ${String(p.kind)} does not match header kind ${expected}`);
    return expected === 'key' ? { kind: 'key', key: checkKey(p.key, 'key') } : { kind: 'user', user: checkUser(p.user, 'user') };
  } catch (e) {
    refuse(`Masked object payload is invalid: ${(e as Error).message}`);
  }
}
