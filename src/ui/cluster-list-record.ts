/**
 * The page's saved list of clusters (localStorage): every cluster's record (plain HSM configs, no
 * secrets — the HSMs reload their own state from IndexedDB), which one is current, and the number
 * the next cluster's name takes (`cluster-N`; never reused, so a new cluster never picks up a
 * removed one's HSM storage). Reads the single-cluster record of earlier versions of the page
 * when no list is saved.
 * @module
 */
import type { ClusterRecord } from '../cluster/cluster.ts';

/** localStorage key of the list. */
export const CLUSTER_LIST_KEY = 'hsm-playground.clusters';
/**
 * localStorage key of the current cluster's record alone: all earlier versions of the page
 * saved (read when the list is missing); still written beside the list for whatever reads it.
 */
export const LEGACY_RECORD_KEY = 'hsm-playground.cluster-record';

export interface ClusterList {
  readonly format: 1;
  /** The N of the next `cluster-N`. */
  readonly nextNumber: number;
  /** The name of the cluster the page shows. */
  readonly current: string;
  readonly clusters: readonly ClusterRecord[];
}

/** The name of the `n`th cluster the page makes. */
export function clusterName(n: number): string {
  return `cluster-${n}`;
}

function isRecord(value: unknown): value is ClusterRecord {
  const r = value as Partial<ClusterRecord> | null;
  return typeof r === 'object' && r !== null && typeof r.name === 'string' && typeof r.clusterId === 'string' && Array.isArray(r.hsms) && r.hsms.length > 0;
}

/**
 * The saved list from the two stored texts (the list, and the earlier single record), or
 * undefined when nothing usable is saved. Records that are not cluster records are dropped and
 * counted in `dropped`.
 */
export function readClusterList(listText: string | null, legacyText: string | null): { list: ClusterList; dropped: number } | undefined {
  const parse = (text: string | null): unknown => {
    if (text === null) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  };
  const saved = parse(listText) as Partial<ClusterList> | undefined;
  if (saved && saved.format === 1 && Array.isArray(saved.clusters)) {
    const clusters = saved.clusters.filter(isRecord);
    if (clusters.length === 0) return undefined;
    const nextNumber = Number.isInteger(saved.nextNumber) && saved.nextNumber! > 0 ? saved.nextNumber! : 1;
    const current = clusters.some((c) => c.name === saved.current) ? saved.current! : clusters[0]!.name;
    return { list: { format: 1, nextNumber: Math.max(nextNumber, firstFreeNumber(clusters)), current, clusters }, dropped: saved.clusters.length - clusters.length };
  }
  const legacy = parse(legacyText);
  if (isRecord(legacy)) return { list: { format: 1, nextNumber: firstFreeNumber([legacy]), current: legacy.name, clusters: [legacy] }, dropped: 0 };
  return undefined;
}

/** A number above every `cluster-N` already in use (guards against an edited or stale counter). */
function firstFreeNumber(clusters: readonly ClusterRecord[]): number {
  let top = 0;
  for (const c of clusters) {
    const n = /^cluster-(\d+)$/.exec(c.name)?.[1];
    if (n !== undefined) top = Math.max(top, Number(n));
  }
  return top + 1;
}

/** The text saved under {@link CLUSTER_LIST_KEY}. */
export function writeClusterList(list: ClusterList): string {
  return JSON.stringify(list);
}
