/** IdbStorage and IdbJsonRecord over fake-indexeddb: round trip, one record per HSM, foreign records refused. */
import 'fake-indexeddb/auto';
import { createStore, set } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { IdbJsonRecord, IdbStorage } from '../../../src/store/idb.ts';

describe('IdbStorage', () => {
  it('loads undefined for a new HSM, round-trips, and keeps HSMs apart', async () => {
    const store = createStore('test-db-1', 'snapshots');
    const a = new IdbStorage('c1/hsm0', store);
    const b = new IdbStorage('c1/hsm1', store);
    expect(await a.load()).toBeUndefined();
    await a.save(new Uint8Array([1, 2]));
    await b.save(new Uint8Array([3]));
    expect(await a.load()).toEqual(new Uint8Array([1, 2]));
    expect(await b.load()).toEqual(new Uint8Array([3]));
    await a.save(new Uint8Array([9]));
    expect(await new IdbStorage('c1/hsm0', store).load()).toEqual(new Uint8Array([9]));
    await a.erase();
    expect(await a.load()).toBeUndefined();
    expect(await b.load()).toEqual(new Uint8Array([3]));
  });

  it('refuses a record that is not a snapshot, naming it', async () => {
    const store = createStore('test-db-2', 'snapshots');
    await set('c1/hsm0', { something: 'else' }, store);
    await expect(new IdbStorage('c1/hsm0', store).load()).rejects.toThrow(/record "c1\/hsm0" .* is not an HSM snapshot/);
  });

  it('validates its arguments', async () => {
    expect(() => new IdbStorage('', createStore('test-db-3', 's'))).toThrow(/non-empty string/);
    await expect(new IdbStorage('x', createStore('test-db-3', 's')).save('nope' as unknown as Uint8Array)).rejects.toThrow(/must be a Uint8Array/);
  });
});

describe('IdbJsonRecord', () => {
  it('round-trips JSON documents', async () => {
    const record = new IdbJsonRecord<{ clusters: string[] }>('registry', createStore('test-db-4', 'records'));
    expect(await record.read()).toBeUndefined();
    await record.write({ clusters: ['a', 'b'] });
    expect(await record.read()).toEqual({ clusters: ['a', 'b'] });
  });
});
