import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/crypto/random.ts';
import { canonicalJson } from '../../../src/hsm/digest.ts';
import { HsmError } from '../../../src/hsm/envelope.ts';
import { maskObject, unmaskObject } from '../../../src/hsm/masked.ts';
import type { HsmState, KeyRecord } from '../../../src/hsm/state.ts';
import { openTestHsm, storedState } from './fixtures.ts';

const KEY: KeyRecord = {
  handle: 0x2e06bf,
  owner: 'alice',
  shared: ['bob'],
  manageKeyQuorumValue: 1,
  useKeyQuorumValue: 2,
  attributes: { 'key-type': 'aes', label: 'k1', class: 'secret-key', extractable: false, 'key-length-bytes': 32 },
  material: Uint8Array.from({ length: 32 }, (_, i) => i),
};

async function stateOf(seed: string): Promise<HsmState> {
  return storedState((await openTestHsm(seed)).storage);
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof HsmError && e.reason === 'bad-masked-object') return e.message;
    throw e;
  }
  throw new Error('not refused');
}

describe('masked objects', () => {
  it('a key round-trips with material, attributes, owner, shares and quorum values', async () => {
    const state = await stateOf('masked');
    const blob = maskObject(state, { kind: 'key', key: { ...KEY, sessionId: 'abc' } }, seededRandom('iv'));
    const back = unmaskObject(state, blob);
    expect(back.kind).toBe('key');
    if (back.kind !== 'key') return;
    expect(canonicalJson(back.key)).toBe(canonicalJson(KEY)); // session binding dropped
    expect(back.key.sessionId).toBeUndefined();
  });

  it('a user round-trips without its failure counter, and the blob hides the key material', async () => {
    const state = await stateOf('masked');
    const admin = state.users[0]!;
    const back = unmaskObject(state, maskObject(state, { kind: 'user', user: { ...admin, failedLogins: 3 } }, seededRandom('iv')));
    expect(back.kind === 'user' && canonicalJson(back.user)).toBe(canonicalJson({ ...admin, failedLogins: 0 }));
    const blob = maskObject(state, { kind: 'key', key: KEY }, seededRandom('iv'));
    expect(Buffer.from(blob).includes(Buffer.from(KEY.material.subarray(0, 8)))).toBe(false);
    expect(Buffer.from(blob).includes(Buffer.from('alice'))).toBe(false);
  });

  it('starts with the documented header: HSMO, version 1, kind, cluster id', async () => {
    const state = await stateOf('masked');
    const blob = maskObject(state, { kind: 'key', key: KEY }, seededRandom('iv'));
    const id = new TextEncoder().encode(state.clusterId);
    expect(new TextDecoder().decode(blob.subarray(0, 4))).toBe('HSMO');
    expect([...blob.subarray(4, 7)]).toEqual([1, 1, id.length]);
    expect(new TextDecoder().decode(blob.subarray(7, 7 + id.length))).toBe(state.clusterId);
  });

  it('another cluster’s blob is refused, naming both clusters', async () => {
    const mine = await stateOf('cluster-a');
    const theirs = await stateOf('cluster-b');
    const blob = maskObject(theirs, { kind: 'key', key: KEY }, seededRandom('iv'));
    const message = refusal(() => unmaskObject(mine, blob));
    expect(message).toContain(theirs.clusterId);
    expect(message).toContain(mine.clusterId);
    // same cluster id but another cluster key (a forged header) fails authentication
    const forged = { ...theirs, clusterId: mine.clusterId };
    expect(refusal(() => unmaskObject(mine, maskObject(forged, { kind: 'key', key: KEY }, seededRandom('iv'))))).toMatch(/failed authentication/);
  });

  it('refuses truncated blobs, wrong magic, wrong version and non-bytes', async () => {
    const state = await stateOf('masked');
    const blob = maskObject(state, { kind: 'user', user: state.users[1]! }, seededRandom('iv'));
    expect(refusal(() => unmaskObject(state, blob.subarray(0, 20)))).toMatch(/truncated/);
    expect(refusal(() => unmaskObject(state, blob.subarray(0, blob.length - 1)))).toMatch(/failed authentication/);
    const v2 = blob.slice();
    v2[4] = 2;
    expect(refusal(() => unmaskObject(state, v2))).toMatch(/version 2 is not supported/);
    expect(refusal(() => unmaskObject(state, 'blob'))).toMatch(/must be bytes/);
  });

  it('EVERY single-bit flip of a blob is refused (property over all bit positions)', async () => {
    const state = await stateOf('masked');
    const blob = maskObject(state, { kind: 'key', key: KEY }, seededRandom('iv'));
    let checked = 0;
    for (let bit = 0; bit < blob.length * 8; bit++) {
      const flipped = blob.slice();
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      refusal(() => unmaskObject(state, flipped));
      checked++;
    }
    expect(checked).toBe(blob.length * 8);
    // and, with fast-check, for random keys and random positions
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), (material, position) => {
        const b = maskObject(state, { kind: 'key', key: { ...KEY, material } }, seededRandom(material));
        const f = b.slice();
        const bit = position % (b.length * 8);
        f[bit >> 3]! ^= 1 << (bit & 7);
        refusal(() => unmaskObject(state, f));
      }),
      { numRuns: 200 },
    );
  });
});
