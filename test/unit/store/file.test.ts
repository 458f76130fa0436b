/** FileStorage: round trip, atomic replacement (a crash mid-write keeps the old snapshot), corruption reported clearly. */
import * as fs from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSnapshotFile, encodeSnapshotFile, FileStorage, type FileSystem } from '../../../src/store/file.ts';

async function dir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'file-storage-'));
}

describe('FileStorage', () => {
  it('loads undefined for a new HSM and round-trips snapshots', async () => {
    const storage = new FileStorage(fs, await dir(), 'hsm0');
    expect(await storage.load()).toBeUndefined();
    await storage.save(new Uint8Array([1, 2, 3]));
    expect(await storage.load()).toEqual(new Uint8Array([1, 2, 3]));
    await storage.save(new Uint8Array([4, 5]));
    expect(await storage.load()).toEqual(new Uint8Array([4, 5]));
    await storage.erase();
    expect(await storage.load()).toBeUndefined();
  });

  it('keeps the previous snapshot when the process dies before the rename', async () => {
    const where = await dir();
    await new FileStorage(fs, where, 'hsm0').save(new Uint8Array([7, 7, 7]));
    const dying: FileSystem = {
      ...fs,
      rename: async () => {
        throw new Error('killed mid-write');
      },
    };
    await expect(new FileStorage(dying, where, 'hsm0').save(new Uint8Array([9, 9, 9, 9]))).rejects.toThrow('killed mid-write');
    // the half-done temporary file is there, but the snapshot is still the old one
    expect((await fs.readdir(where)).sort()).toEqual(['hsm0.hsm', 'hsm0.hsm.tmp']);
    expect(await new FileStorage(fs, where, 'hsm0').load()).toEqual(new Uint8Array([7, 7, 7]));
  });

  it('reports a truncated, altered or foreign file clearly', async () => {
    const where = await dir();
    const storage = new FileStorage(fs, where, 'hsm1');
    await storage.save(new Uint8Array(100).fill(5));
    const good = new Uint8Array(await fs.readFile(storage.path));
    await fs.writeFile(storage.path, good.subarray(0, good.length - 1));
    await expect(storage.load()).rejects.toThrow(/corrupt: expected 100 payload bytes, found 99/);
    const flipped = good.slice();
    flipped[flipped.length - 1]! ^= 1;
    await fs.writeFile(storage.path, flipped);
    await expect(storage.load()).rejects.toThrow(/corrupt: checksum mismatch/);
    await fs.writeFile(storage.path, 'not a snapshot');
    await expect(storage.load()).rejects.toThrow(/hsm1\.hsm is corrupt: missing the HSMSNAP1 header/);
  });

  it('frames and unframes any payload', () => {
    for (const size of [0, 1, 1000]) {
      const payload = new Uint8Array(size).map((_, i) => i & 255);
      expect(decodeSnapshotFile(encodeSnapshotFile(payload), 'x')).toEqual(payload);
    }
  });

  it('refuses names that are not plain file names', () => {
    expect(() => new FileStorage(fs, '/tmp', '../escape')).toThrow(/name must use only/);
    expect(() => new FileStorage(fs, '', 'hsm0')).toThrow(/dir must not be empty/);
  });
});
