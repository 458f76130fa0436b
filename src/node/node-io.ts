/**
 * The {@link Io} port over the real file system: `--path`, `--data-path`, `--signature-path` …
 * name files relative to the working directory the tool was started in (or absolute paths), as
 * with the real cloudhsm-cli. The prompt is handed in (terminal or piped input).
 * @module
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Io, PromptOptions } from '../cli/machinery/io.ts';

export type PromptFunction = (text: string, options: PromptOptions) => Promise<string>;

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** An Io reading and writing files under `cwd` (default: the process's working directory). */
export function nodeIo(prompt: PromptFunction, cwd: string = process.cwd()): Io {
  return {
    prompt,
    async readFile(path) {
      if (path.length === 0) throw new Error('File path is empty');
      try {
        const buffer = await readFile(resolve(cwd, path));
        return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      } catch (error) {
        throw new Error(`Cannot read file ${path}: ${reasonOf(error)}`);
      }
    },
    async writeFile(path, bytes) {
      if (path.length === 0) throw new Error('File path is empty');
      try {
        await writeFile(resolve(cwd, path), bytes);
      } catch (error) {
        throw new Error(`Cannot write file ${path}: ${reasonOf(error)}`);
      }
    },
  };
}
