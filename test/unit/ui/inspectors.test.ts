import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../src/cluster/cluster.ts';
import { keyObjectName } from '../../../src/cluster/coverage.ts';
import { behindOn, type ClusterFacts } from '../../../src/ui/cluster-view.ts';
import { presencePerHsm, syncName } from '../../../src/ui/inspectors.ts';

const sync: SyncStatus = {
  inSync: false,
  hsms: [],
  outOfSync: {
    'key:0x0000000000000abc': { missingOn: [1], differentOn: [] },
    'key:0x0000000000000def': { missingOn: [], differentOn: [2] },
    'user:bob': { missingOn: [1], differentOn: [] },
  },
};

function facts(states: readonly ('live' | 'stopped')[]): ClusterFacts {
  return { summaries: states.map((state, index) => ({ index, state, summary: undefined })), sync };
}

describe('inspectors and cluster facts', () => {
  it('names keys as the cluster sync status does', () => {
    for (const ref of ['0x0000000000000abc', '0xabc', '2748']) expect(syncName(ref)).toBe(keyObjectName(ref));
    expect(syncName('0x00000000002e06bf')).toBe('key:0x00000000002e06bf');
  });

  it('says where a key is, HSM by HSM', () => {
    expect(presencePerHsm('0xabc', facts(['live', 'live', 'live']))).toEqual([
      { index: 0, where: 'present' },
      { index: 1, where: 'missing' },
      { index: 2, where: 'present' },
    ]);
    expect(presencePerHsm('0xdef', facts(['live', 'stopped', 'live'])).map((p) => p.where)).toEqual(['present', 'stopped', 'different']);
    expect(presencePerHsm('0x1', facts(['live', 'live'])).map((p) => p.where)).toEqual(['present', 'present']);
  });

  it('counts what each HSM is behind on', () => {
    expect(behindOn(sync, 0)).toBe(0);
    expect(behindOn(sync, 1)).toBe(2);
    expect(behindOn(sync, 2)).toBe(1);
    expect(behindOn(undefined, 1)).toBe(0);
  });
});
