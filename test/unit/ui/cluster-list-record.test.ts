/**
 * The page's saved list of clusters: reading it back, the earlier single-cluster record, the
 * name counter that never reuses a name, and what is dropped.
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { ClusterRecord } from '../../../src/cluster/cluster.ts';
import { clusterName, readClusterList, writeClusterList, type ClusterList } from '../../../src/ui/cluster-list-record.ts';

function record(name: string, clusterId = `id-${name}`): ClusterRecord {
  return {
    name,
    clusterId,
    model: 'hsm2m.medium',
    storage: { kind: 'idb' },
    nextIndex: 1,
    hsms: [{ clusterName: name, index: 0, ip: '10.0.0.1', model: 'hsm2m.medium', storage: { kind: 'idb', name: `${name}/hsm0` } }],
  };
}

describe('cluster list record', () => {
  it('reads back what it wrote, with the current cluster and the counter', () => {
    const list: ClusterList = { format: 1, nextNumber: 4, current: 'cluster-3', clusters: [record('cluster-1'), record('cluster-3', 'id-cluster-1')] };
    expect(readClusterList(writeClusterList(list), null)).toEqual({ list, dropped: 0 });
  });

  it('names clusters cluster-N', () => {
    expect(clusterName(7)).toBe('cluster-7');
  });

  it('nothing saved, or garbage: undefined', () => {
    expect(readClusterList(null, null)).toBeUndefined();
    expect(readClusterList('{not json', 'also not')).toBeUndefined();
    expect(readClusterList(JSON.stringify({ format: 2, clusters: [record('cluster-1')] }), null)).toBeUndefined();
  });

  it('reads the single record of earlier versions as a list of one, current', () => {
    const legacy = record('cluster-mabc12-x1y2');
    const read = readClusterList(null, JSON.stringify(legacy));
    expect(read?.list).toEqual({ format: 1, nextNumber: 1, current: 'cluster-mabc12-x1y2', clusters: [legacy] });
  });

  it('the saved list wins over an earlier single record', () => {
    const list: ClusterList = { format: 1, nextNumber: 2, current: 'cluster-1', clusters: [record('cluster-1')] };
    expect(readClusterList(writeClusterList(list), JSON.stringify(record('old')))?.list.clusters.map((c) => c.name)).toEqual(['cluster-1']);
  });

  it('drops records that are not cluster records and counts them', () => {
    const text = JSON.stringify({ format: 1, nextNumber: 3, current: 'cluster-2', clusters: [record('cluster-1'), { name: 'cluster-2' }, { ...record('x'), hsms: [] }] });
    const read = readClusterList(text, null);
    expect(read?.dropped).toBe(2);
    expect(read?.list.clusters.map((c) => c.name)).toEqual(['cluster-1']);
    // The current cluster was dropped: the first one left is current.
    expect(read?.list.current).toBe('cluster-1');
  });

  it('never hands out a name in use, even when the counter is stale or missing', () => {
    const stale = JSON.stringify({ format: 1, nextNumber: 2, current: 'cluster-5', clusters: [record('cluster-1'), record('cluster-5')] });
    expect(readClusterList(stale, null)?.list.nextNumber).toBe(6);
    const missing = JSON.stringify({ format: 1, current: 'cluster-2', clusters: [record('cluster-2')] });
    expect(readClusterList(missing, null)?.list.nextNumber).toBe(3);
  });
});
