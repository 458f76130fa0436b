/**
 * Reproducibility end to end: the seeded transcript docs/sample-transcript.md, regenerated in
 * Chromium through a real cluster of Web Worker HSMs, is byte-identical to the file that
 * test/node/transcript.test.ts regenerates byte-identically in Node with worker_threads HSMs.
 * So the same seeded script gives the same keys, references, check values and signatures in both.
 */
import { describe, expect, it } from 'vitest';
import sample from '../../docs/sample-transcript.md?raw';
import { browserSpawner } from '../../src/cluster/browser-spawn.ts';
import { Cluster } from '../../src/cluster/cluster.ts';
import { regenerateTranscript } from '../../src/ui/sandbox/transcript.ts';

async function regenerate(markdown: string, seed?: string): Promise<Awaited<ReturnType<typeof regenerateTranscript>>> {
  return regenerateTranscript(
    markdown,
    async (settings) => {
      const cluster = await Cluster.create({ hsms: settings.hsms, spawn: browserSpawner(), seed: settings.seed });
      return { cluster, close: () => cluster.dispose() };
    },
    seed === undefined ? {} : { seed },
  );
}

describe('seeded transcript in Chromium', () => {
  it('regenerates docs/sample-transcript.md byte for byte (the file Node regenerates identically)', async () => {
    const result = await regenerate(sample);
    expect(result.commandCount).toBe(8);
    expect(result.firstStale).toBeUndefined();
    expect(result.text).toBe(sample);
  });

  it('another seed gives other keys and signatures, so the comparison above is not vacuous', async () => {
    const result = await regenerate(sample, 'another seed');
    expect(result.firstStale?.command).toMatch(/^login --username alice|^key generate/);
    expect(result.text).not.toBe(sample);
  });
});
