/**
 * File Storage for the Node tool: one file per HSM, replaced atomically (write a temporary file,
 * fsync it, rename it over the old one, fsync the directory), so a process killed mid-write
 * leaves the previous snapshot or the new one. Each file carries a magic tag, the payload length
 * and a SHA-256 of the payload, so a damaged file is reported clearly instead of half-loaded.
 *
 * The file system is handed in (node:fs/promises fits {@link FileSystem}), which keeps this
 * module free of Node imports: it typechecks with the rest of src/ and is usable from a worker.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { equalBytes } from '../crypto/bytes.ts';
import type { Storage } from './storage.ts';

/** The part of node:fs/promises this module needs. */
export interface FileSystem {
  readFile(path: string): Promise<Uint8Array>;
  open(path: string, flags: string): Promise<FileHandleLike>;
  rename(from: string, to: string): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  rm(path: string, options: { force: true }): Promise<void>;
}
export interface FileHandleLike {
  writeFile(data: Uint8Array): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

const MAGIC = new Uint8Array([0x48, 0x53, 0x4d, 0x53, 0x4e, 0x41, 0x50, 0x31]); // "HSMSNAP1"
const HEADER_BYTES = MAGIC.length + 4 + 32;

/** Frame a snapshot: magic ‖ u32 length ‖ sha256(payload) ‖ payload. */
export function encodeSnapshotFile(snapshot: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + snapshot.length);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(MAGIC.length, snapshot.length);
  out.set(sha256(snapshot), MAGIC.length + 4);
  out.set(snapshot, HEADER_BYTES);
  return out;
}

/** Check and unframe a snapshot file; throws an Error naming the file and what is wrong. */
export function decodeSnapshotFile(file: Uint8Array, path: string): Uint8Array {
  if (file.length < HEADER_BYTES || !equalBytes(file.subarray(0, MAGIC.length), MAGIC)) {
    throw new Error(`HSM snapshot file ${path} is corrupt: missing the HSMSNAP1 header`);
  }
  const length = new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(MAGIC.length);
  if (file.length !== HEADER_BYTES + length) {
    throw new Error(`HSM snapshot file ${path} is corrupt: expected ${length} payload bytes, found ${file.length - HEADER_BYTES}`);
  }
  const payload = file.subarray(HEADER_BYTES);
  if (!equalBytes(sha256(payload), file.subarray(MAGIC.length + 4, HEADER_BYTES))) {
    throw new Error(`HSM snapshot file ${path} is corrupt: checksum mismatch`);
  }
  return new Uint8Array(payload); // a plain copy, never a Node Buffer view
}

function isMissingFile(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}

/** Write `data` to `path` atomically: temp file + fsync + rename + directory fsync. */
export async function writeFileAtomic(fs: FileSystem, dir: string, path: string, data: Uint8Array): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const temp = `${path}.tmp`;
  const handle = await fs.open(temp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, path);
  // Make the rename itself durable (POSIX: the directory entry lives in the directory).
  const dirHandle = await fs.open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}

/** Read a whole file, or undefined if it does not exist. */
export async function readFileIfPresent(fs: FileSystem, path: string): Promise<Uint8Array | undefined> {
  try {
    return await fs.readFile(path);
  } catch (error) {
    if (isMissingFile(error)) return undefined;
    throw error;
  }
}

/** The snapshot of one HSM kept in `<dir>/<name>.hsm`. */
export class FileStorage implements Storage {
  readonly path: string;
  readonly #fs: FileSystem;
  readonly #dir: string;

  constructor(fs: FileSystem, dir: string, name: string) {
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
      throw new TypeError(`FileStorage: name must use only letters, digits, '_', '.' and '-', got ${JSON.stringify(name)}`);
    }
    if (dir.length === 0) throw new TypeError('FileStorage: dir must not be empty');
    this.#fs = fs;
    this.#dir = dir.replace(/\/+$/, '') || '/';
    this.path = `${this.#dir}/${name}.hsm`;
  }

  async load(): Promise<Uint8Array | undefined> {
    const file = await readFileIfPresent(this.#fs, this.path);
    return file === undefined ? undefined : decodeSnapshotFile(file, this.path);
  }

  async save(snapshot: Uint8Array): Promise<void> {
    await writeFileAtomic(this.#fs, this.#dir, this.path, encodeSnapshotFile(snapshot));
  }

  /** Delete this HSM's file (the HSM was removed from its cluster). */
  async erase(): Promise<void> {
    await this.#fs.rm(this.path, { force: true });
  }
}

/** A JSON document kept in `<dir>/<name>.json`, replaced atomically (used for the cluster registry). */
export class JsonFileRecord<T> {
  readonly path: string;
  readonly #fs: FileSystem;
  readonly #dir: string;

  constructor(fs: FileSystem, dir: string, name: string) {
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new TypeError(`JsonFileRecord: bad name ${JSON.stringify(name)}`);
    this.#fs = fs;
    this.#dir = dir.replace(/\/+$/, '') || '/';
    this.path = `${this.#dir}/${name}.json`;
  }

  async read(): Promise<T | undefined> {
    const bytes = await readFileIfPresent(this.#fs, this.path);
    if (bytes === undefined) return undefined;
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as T;
    } catch (error) {
      throw new Error(`${this.path} is not valid JSON: ${(error as Error).message}`);
    }
  }

  async write(value: T): Promise<void> {
    await writeFileAtomic(this.#fs, this.#dir, this.path, new TextEncoder().encode(JSON.stringify(value, null, 2)));
  }
}
