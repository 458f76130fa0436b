/**
 * The cluster picker's option texts: name, HSM count, and the earlier cluster a clone shares its
 * cluster id with.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { clusterLabels } from '../../../src/ui/cluster-picker.ts';

describe('cluster picker labels', () => {
  it('names each cluster with its HSM count', () => {
    expect(clusterLabels([{ name: 'cluster-1', clusterId: 'a', size: 2 }, { name: 'cluster-2', clusterId: 'b', size: 1 }])).toEqual([
      'cluster-1 · 2 HSMs',
      'cluster-2 · 1 HSM',
    ]);
  });

  it('marks a clone with the first cluster sharing its cluster id, unrelated ones not', () => {
    const labels = clusterLabels([
      { name: 'cluster-1', clusterId: 'a', size: 2 },
      { name: 'cluster-2', clusterId: 'a', size: 2 },
      { name: 'cluster-3', clusterId: 'c', size: 2 },
      { name: 'cluster-4', clusterId: 'a', size: 1 },
    ]);
    expect(labels).toEqual(['cluster-1 · 2 HSMs', 'cluster-2 · 2 HSMs · clone of cluster-1', 'cluster-3 · 2 HSMs', 'cluster-4 · 1 HSM · clone of cluster-1']);
  });
});
