/**
 * The virtual file area: the files `--path` and `--data-path` name when the CLI runs in the page
 * (an in-memory map path → bytes the user can list, upload and download). Paths are normalised
 * (`./a//b` → `a/b`) so the same file is not stored twice under two spellings.
 * @module
 */
import type { Io, PromptOptions } from './machinery/io.ts';

export interface FileEntry {
  readonly path: string;
  readonly size: number;
}

/** `./keys//pub.pem` → `keys/pub.pem`; throws a RangeError for empty paths or `..`. */
export function normalisePath(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0) throw new RangeError(`Invalid file path '${path}': it names no file`);
  if (parts.includes('..')) throw new RangeError(`Invalid file path '${path}': '..' is not allowed`);
  return (path.startsWith('/') ? '/' : '') + parts.join('/');
}

export class VirtualFiles {
  readonly #files = new Map<string, Uint8Array>();

  list(): FileEntry[] {
    return [...this.#files.entries()].map(([path, bytes]) => ({ path, size: bytes.length })).sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  has(path: string): boolean {
    return this.#files.has(normalisePath(path));
  }

  /** A copy of the file's bytes, or undefined when there is no such file. */
  read(path: string): Uint8Array | undefined {
    const bytes = this.#files.get(normalisePath(path));
    return bytes ? bytes.slice() : undefined;
  }

  readText(path: string): string | undefined {
    const bytes = this.read(path);
    return bytes ? new TextDecoder().decode(bytes) : undefined;
  }

  write(path: string, bytes: Uint8Array | string): void {
    const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes.slice();
    this.#files.set(normalisePath(path), data);
  }

  /** True when a file was deleted. */
  delete(path: string): boolean {
    return this.#files.delete(normalisePath(path));
  }

  clear(): void {
    this.#files.clear();
  }
}

/** An {@link Io} over a virtual file area and a prompt function (the page's terminal). */
export function ioOverFiles(files: VirtualFiles, prompt: (text: string, options: PromptOptions) => Promise<string>): Io {
  return {
    prompt,
    async readFile(path) {
      const bytes = files.read(path);
      if (!bytes) throw new Error(`Cannot read file ${path}: no such file`);
      return bytes;
    },
    async writeFile(path, bytes) {
      files.write(path, bytes);
    },
  };
}
