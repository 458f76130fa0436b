import { describe, expect, it } from 'vitest';
import { utf8 } from '../../../src/crypto/bytes.ts';
import { stateDigest } from '../../../src/hsm/digest.ts';
import { decodeState, encodeState, fromTaggedJson, SnapshotError, toTaggedJson } from '../../../src/hsm/serialize.ts';
import { openTestHsm, storedState } from './fixtures.ts';

describe('tagged JSON', () => {
  it('round-trips Uint8Array inside nested values', () => {
    const value = { a: new Uint8Array([0, 1, 255]), list: [new Uint8Array(0), { b: Uint8Array.of(7) }], s: 'x' };
    const back = fromTaggedJson(toTaggedJson(value)) as typeof value;
    expect(back.a).toEqual(new Uint8Array([0, 1, 255]));
    expect(back.a).toBeInstanceOf(Uint8Array);
    expect(back.list[0]).toEqual(new Uint8Array(0));
    expect((back.list[1] as { b: Uint8Array }).b).toEqual(Uint8Array.of(7));
    expect(toTaggedJson({ k: Uint8Array.of(1, 2, 3) })).toBe('{"k":{"$b64":"AQID"}}');
  });
});

describe('state snapshots', () => {
  it('encode → decode gives the same state (same digest, same bytes again)', async () => {
    const { storage } = await openTestHsm('serialize');
    const state = await storedState(storage);
    const bytes = encodeState(state);
    const back = decodeState(bytes);
    expect(stateDigest(back)).toBe(stateDigest(state));
    expect(encodeState(back)).toEqual(bytes);
    expect(back.clusterKey).toBeInstanceOf(Uint8Array);
    expect(back.users[0]?.password.salt).toBeInstanceOf(Uint8Array);
  });

  it('names what is wrong with a corrupt snapshot', async () => {
    const { storage } = await openTestHsm('serialize');
    const good = JSON.parse(new TextDecoder().decode(encodeState(await storedState(storage))));
    const bad = (mutate: (o: any) => void): Uint8Array => {
      const copy = structuredClone(good);
      mutate(copy);
      return utf8(JSON.stringify(copy));
    };
    expect(() => decodeState(utf8('{not json'))).toThrow(/not valid JSON/);
    expect(() => decodeState(utf8('{"a":1}'))).toThrow(/no "format": "hsm-playground\/hsm-state" header/);
    expect(() => decodeState(bad((o) => (o.version = 9)))).toThrow(/format version 9 is not supported/);
    expect(() => decodeState(bad((o) => (o.state.users = 'x')))).toThrow(/users is not an array/);
    expect(() => decodeState(bad((o) => (o.state.users[0].role = 'root')))).toThrow(/users\[0\]\.role is not a user role/);
    expect(() => decodeState(bad((o) => (o.state.clusterKey = { $b64: 'AQID' })))).toThrow(/clusterKey is not 32 bytes/);
    expect(() => decodeState(bad((o) => (o.state.identity.model = 'hsm9')))).toThrow(/identity\.model/);
    expect(() => decodeState(bad((o) => (o.state.keys = [{ handle: 0 }])))).toThrow(/keys\[0\]\.handle/);
    expect(() => decodeState(utf8('{"a":1}'))).toThrow(SnapshotError);
  });
});
