import { describe, expect, it } from 'vitest';
import { ClusterFileError, readClusterFile, writeClusterFile, type ClusterFile } from '../../../src/ui/cluster-file.ts';

const sample: ClusterFile = {
  settings: { hsmCount: 2, model: 'hsm2m.medium' },
  exportedAt: '2026-11-29T20:00:00.000Z',
  clusterId: 'cluster-abc123',
  hsms: [
    { index: 0, ip: '10.0.0.10', model: 'hsm2m.medium', backup: new Uint8Array([1, 2, 3, 250, 0, 7]) },
    { index: 1, ip: '10.0.0.11', model: 'hsm2m.medium', backup: new Uint8Array(70_000).map((_, i) => i % 251) },
  ],
};

describe('cluster file', () => {
  it('round-trips settings and backups byte for byte', async () => {
    const back = await readClusterFile(await writeClusterFile(sample));
    expect(back.settings).toEqual(sample.settings);
    expect(back.exportedAt).toBe(sample.exportedAt);
    expect(back.clusterId).toBe('cluster-abc123');
    expect(back.hsms.map((h) => [h.index, h.ip, h.model])).toEqual([
      [0, '10.0.0.10', 'hsm2m.medium'],
      [1, '10.0.0.11', 'hsm2m.medium'],
    ]);
    expect(back.hsms[1]?.backup).toEqual(sample.hsms[1]?.backup);
    expect(back.hsms[0]?.backup).toEqual(sample.hsms[0]?.backup);
  });

  it('refuses a file whose backup was changed', async () => {
    const text = await writeClusterFile(sample);
    const doc = JSON.parse(text);
    doc.hsms[0].backup = doc.hsms[0].backup.replace(/^A/, 'B');
    await expect(readClusterFile(JSON.stringify(doc))).rejects.toThrow(/modified or damaged after export \(checksum mismatch\)/);
  });

  it('refuses a file whose settings were changed', async () => {
    const doc = JSON.parse(await writeClusterFile(sample));
    doc.settings.hsmCount = 3;
    await expect(readClusterFile(JSON.stringify(doc))).rejects.toThrow(ClusterFileError);
  });

  it('says precisely what is wrong with files that are not cluster files', async () => {
    await expect(readClusterFile('hello')).rejects.toThrow('not JSON');
    await expect(readClusterFile('[]')).rejects.toThrow('expected a JSON object');
    await expect(readClusterFile('{"format":"other"}')).rejects.toThrow('"format" is "other"');
    const doc = JSON.parse(await writeClusterFile(sample));
    delete doc.sha256;
    await expect(readClusterFile(JSON.stringify(doc))).rejects.toThrow('no checksum');
    doc.version = 2;
    await expect(readClusterFile(JSON.stringify(doc))).rejects.toThrow('Unsupported cluster file version 2');
  });

  it('refuses a file listing one HSM twice', async () => {
    const twice = { ...sample, hsms: [sample.hsms[0]!, { ...sample.hsms[0]!, ip: '10.0.0.99' }] };
    await expect(readClusterFile(await writeClusterFile(twice))).rejects.toThrow('the same HSM twice');
  });

  it('holds no plain text of the backups, only their base64', async () => {
    const text = await writeClusterFile(sample);
    expect(text).toContain('"backup": "AQID+gAH"');
  });

  it('refuses to write a file without HSMs', async () => {
    await expect(writeClusterFile({ ...sample, hsms: [] })).rejects.toThrow(RangeError);
  });
});
