/**
 * The `--state DIR` directory of the Node tool: the cluster registry document (`clusters.json`,
 * src/cluster/registry.ts — cluster names, ids and HSM configs, plain data, no secrets) beside one
 * snapshot file per HSM (`<cluster>-hsm<N>.hsm`, written by each HSM's worker through
 * src/store/file.ts). Both are replaced atomically. When the document is read, every file path in
 * it is pointed at where DIR is now, so the directory may be moved or reached by another path.
 * @module
 */
import * as fs from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ClusterRecord } from '../cluster/cluster.ts';
import type { HsmConfig } from '../cluster/protocol.ts';
import type { RegistryDocument, RegistryStore } from '../cluster/registry.ts';
import { JsonFileRecord } from '../store/file.ts';

/** The registry document's file name, without `.json`. */
export const REGISTRY_NAME = 'clusters';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class StateDir implements RegistryStore {
  /** The absolute directory. */
  readonly dir: string;
  readonly #file: JsonFileRecord<RegistryDocument>;

  constructor(dir: string, cwd: string = process.cwd()) {
    this.dir = resolve(cwd, dir);
    this.#file = new JsonFileRecord<RegistryDocument>(fs, this.dir, REGISTRY_NAME);
  }

  /** The registry document's path. */
  get path(): string {
    return this.#file.path;
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

  /** The storage plan new clusters in this directory use. */
  storagePlan(): { readonly kind: 'file'; readonly dir: string } {
    return { kind: 'file', dir: this.dir };
  }

  /** The registry document (file paths pointed here), or undefined when DIR holds none yet. Throws on a damaged one. */
  async read(): Promise<RegistryDocument | undefined> {
    const document = await this.#file.read();
    if (document === undefined) return undefined;
    if (!isObject(document) || document.format !== 1 || !Array.isArray(document.clusters)) {
      throw new Error(`${this.path} is not an hsm-playground cluster registry (expected "format": 1 and a "clusters" list)`);
    }
    for (const record of document.clusters as unknown[]) {
      const r = record as Partial<ClusterRecord> | null;
      if (!isObject(r) || typeof r.name !== 'string' || typeof r.clusterId !== 'string' || !Array.isArray(r.hsms) || r.hsms.length === 0) {
        throw new Error(`${this.path} is damaged: every cluster needs a name, a cluster id and at least one HSM`);
      }
    }
    return { ...document, clusters: document.clusters.map((record) => this.#relocated(record)) };
  }

  async write(document: RegistryDocument): Promise<void> {
    await this.#file.write(document);
  }

  #relocated(record: ClusterRecord): ClusterRecord {
    const hsms = record.hsms.map((config): HsmConfig => (config.storage?.kind === 'file' ? { ...config, storage: { ...config.storage, dir: this.dir } } : config));
    return { ...record, storage: record.storage?.kind === 'file' ? this.storagePlan() : record.storage, hsms };
  }
}
