/**
 * The `--state DIR` directory of the Node tool: the cluster record (`cluster.json`: name, cluster
 * id, model, seed and the HSM configs — plain data, no secrets) beside one snapshot file per HSM
 * (`<cluster>-hsm<N>.hsm`, written by each HSM's worker through src/store/file.ts). The record is
 * replaced atomically like the snapshots, so a run killed mid-write leaves the old or the new one.
 * Paths in the record are rewritten to where DIR is now, so the directory may be moved.
 * @module
 */
import * as fs from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ClusterRecord } from '../cluster/cluster.ts';
import type { HsmConfig } from '../cluster/protocol.ts';
import { readFileIfPresent, writeFileAtomic } from '../store/file.ts';

export const RECORD_FILE = 'cluster.json';
const FORMAT = 'hsm-playground-state/1';

interface RecordFile {
  readonly format: typeof FORMAT;
  readonly cluster: ClusterRecord;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class StateDir {
  /** The absolute directory. */
  readonly dir: string;
  readonly #recordPath: string;
  #writes: Promise<void> = Promise.resolve();
  #writeError: unknown;

  constructor(dir: string, cwd: string = process.cwd()) {
    this.dir = resolve(cwd, dir);
    this.#recordPath = join(this.dir, RECORD_FILE);
  }

  /** Create the directory if it is missing; throws an Error naming it when that is impossible. */
  async ensure(): Promise<void> {
    try {
      await fs.mkdir(this.dir, { recursive: true });
      const stat = await fs.stat(this.dir);
      if (!stat.isDirectory()) throw new Error('not a directory');
    } catch (error) {
      throw new Error(`--state ${this.dir}: cannot use it as a directory (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  /** The saved cluster, or undefined when the directory holds none yet. Throws on a damaged record. */
  async load(): Promise<ClusterRecord | undefined> {
    const bytes = await readFileIfPresent(fs, this.#recordPath);
    if (bytes === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      throw new Error(`${this.#recordPath} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (!isObject(parsed) || parsed.format !== FORMAT || !isObject(parsed.cluster)) {
      throw new Error(`${this.#recordPath} is not an hsm-playground state record (expected format "${FORMAT}")`);
    }
    const cluster = parsed.cluster as unknown as ClusterRecord;
    if (typeof cluster.name !== 'string' || typeof cluster.clusterId !== 'string' || !Array.isArray(cluster.hsms) || cluster.hsms.length === 0) {
      throw new Error(`${this.#recordPath} is damaged: it needs a cluster name, a cluster id and at least one HSM`);
    }
    return this.#relocated(cluster);
  }

  /** The storage plan new clusters in this directory use. */
  storagePlan(): { readonly kind: 'file'; readonly dir: string } {
    return { kind: 'file', dir: this.dir };
  }

  /** Queue an atomic write of the record (called on every cluster change; see {@link flush}). */
  save(record: ClusterRecord): void {
    const file: RecordFile = { format: FORMAT, cluster: record };
    const bytes = new TextEncoder().encode(`${JSON.stringify(file, null, 2)}\n`);
    this.#writes = this.#writes
      .then(() => writeFileAtomic(fs, this.dir, this.#recordPath, bytes))
      .catch((error: unknown) => {
        this.#writeError ??= error;
      });
  }

  /** Wait for queued writes; throws the first write failure. */
  async flush(): Promise<void> {
    await this.#writes;
    if (this.#writeError !== undefined) {
      const error = this.#writeError;
      this.#writeError = undefined;
      throw new Error(`Cannot save ${this.#recordPath}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Point every file path of the record at this directory's current location. */
  #relocated(record: ClusterRecord): ClusterRecord {
    const hsms = record.hsms.map((config): HsmConfig => (config.storage?.kind === 'file' ? { ...config, storage: { ...config.storage, dir: this.dir } } : config));
    return { ...record, storage: record.storage?.kind === 'file' ? this.storagePlan() : record.storage, hsms };
  }
}
