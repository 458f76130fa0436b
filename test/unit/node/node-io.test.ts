import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeIo } from '../../../src/node/node-io.ts';

const noPrompt = async (): Promise<string> => {
  throw new Error('no prompt expected');
};

describe('nodeIo', () => {
  it('reads and writes files relative to its working directory, and absolute paths as given', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'node-io-'));
    const io = nodeIo(noPrompt, cwd);
    await io.writeFile('out.bin', new Uint8Array([1, 2, 3]));
    expect([...(await readFile(join(cwd, 'out.bin')))]).toEqual([1, 2, 3]);
    await writeFile(join(cwd, 'in.txt'), 'abc');
    expect(new TextDecoder().decode(await io.readFile('in.txt'))).toBe('abc');
    expect(new TextDecoder().decode(await io.readFile(join(cwd, 'in.txt')))).toBe('abc');
  });

  it('names the path and the reason when a file cannot be read or written', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'node-io-'));
    const io = nodeIo(noPrompt, cwd);
    await expect(io.readFile('missing.pem')).rejects.toThrow('Cannot read file missing.pem: no such file or directory');
    await expect(io.readFile('.')).rejects.toThrow('Cannot read file .: is a directory');
    await expect(io.writeFile('no/such/dir/x', new Uint8Array())).rejects.toThrow('Cannot write file no/such/dir/x: no such file or directory');
    await expect(io.readFile('')).rejects.toThrow('File path is empty');
  });

  it('hands prompts to the prompt function', async () => {
    const io = nodeIo(async (text, { secret }) => `${text}|${secret}`);
    expect(await io.prompt('Enter password:', { secret: true })).toBe('Enter password:|true');
  });
});
