/**
 * The virtual file system the CLI reads and writes: normalised paths, defensive copies, refusals.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { ioOverFiles, normalisePath, VirtualFiles } from '../../../src/cli/files.ts';

describe('VirtualFiles', () => {
  it('stores bytes under normalised paths and lists them sorted', () => {
    const files = new VirtualFiles();
    files.write('./b//key.pem', 'PEM');
    files.write('a.bin', new Uint8Array([1, 2, 3]));
    expect(files.readText('b/key.pem')).toBe('PEM');
    expect(files.list()).toEqual([{ path: 'a.bin', size: 3 }, { path: 'b/key.pem', size: 3 }]);
    expect(files.delete('a.bin')).toBe(true);
    expect(files.has('a.bin')).toBe(false);
  });
  it('hands out copies so callers cannot change stored files', () => {
    const files = new VirtualFiles();
    files.write('x', new Uint8Array([1]));
    const copy = files.read('x');
    copy?.fill(9);
    expect(files.read('x')).toEqual(new Uint8Array([1]));
  });
  it('refuses empty and .. paths', () => {
    expect(() => normalisePath('')).toThrow(RangeError);
    expect(() => normalisePath('../etc/passwd')).toThrow("'..' is not allowed");
  });
  it('ioOverFiles rejects reads of missing files with the path in the message', async () => {
    const io = ioOverFiles(new VirtualFiles(), async () => '');
    await expect(io.readFile('nope.pem')).rejects.toThrow('Cannot read file nope.pem: no such file');
  });
});
