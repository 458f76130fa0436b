/**
 * The `transcript` subcommand end to end, through the tool's real entry (`main`) and real HSM
 * worker threads: the shipped sample regenerates byte-identically, `--check` passes on it and
 * names the first stale block after an edit, and bad usage exits 2.
 */
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/node/main.ts';

const SAMPLE = new URL('../../docs/sample-transcript.md', import.meta.url);

async function runTool(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await main({
    argv,
    env: {},
    stdin: process.stdin,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
  });
  return { code, stdout: out, stderr: err };
}

async function sampleCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'transcript-'));
  const file = join(dir, 'sample.md');
  await copyFile(SAMPLE, file);
  return file;
}

describe('hsm-playground transcript', () => {
  it('regenerates docs/sample-transcript.md byte-identically, and --check passes on it', async () => {
    const file = await sampleCopy();
    const before = await readFile(file, 'utf8');
    const written = await runTool(['transcript', file]);
    expect(written.stderr).toBe('');
    expect(written.code).toBe(0);
    expect(written.stdout).toContain('already up to date (8 commands, seed sample-transcript)');
    expect(await readFile(file, 'utf8')).toBe(before);
    const checked = await runTool(['transcript', file, '--check']);
    expect(checked.code).toBe(0);
  });

  it('--check exits 1 and names the first stale block after an output was edited, and writes nothing', async () => {
    const file = await sampleCopy();
    const edited = (await readFile(file, 'utf8')).replace('"username": "admin"', '"username": "root"');
    await writeFile(file, edited);
    const checked = await runTool(['transcript', file, '--check']);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toMatch(/sample\.md:\d+: stale output for the block starting with 'login --username admin --role admin --password admin-pass-1'/);
    expect(await readFile(file, 'utf8')).toBe(edited);
  });

  it('fills in missing output blocks, and a different seed changes keys and signatures', async () => {
    const file = await sampleCopy();
    const stripped = (await readFile(file, 'utf8')).replace(/\n\n```json transcript-output\n[\s\S]*?\n```\n/g, '\n');
    await writeFile(file, stripped);
    expect((await runTool(['transcript', file, '--check'])).code).toBe(1);
    expect((await runTool(['transcript', file])).code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(await readFile(SAMPLE, 'utf8'));
    const reseeded = await runTool(['transcript', file, '--check', '--seed', 'another-seed']);
    expect(reseeded.code).toBe(1);
    expect(reseeded.stderr).toContain('seed another-seed');
  });

  it('bad usage exits 2 with a message naming the problem', async () => {
    expect(await runTool(['transcript'])).toMatchObject({ code: 2, stderr: expect.stringContaining('no FILE.md given') });
    expect(await runTool(['transcript', 'a.md', '--frobnicate'])).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown transcript option '--frobnicate'") });
    expect(await runTool(['--state', '/tmp/x', 'transcript', 'a.md'])).toMatchObject({ code: 2, stderr: expect.stringContaining('drop --state') });
    expect(await runTool(['transcript', '/nonexistent/file.md'])).toMatchObject({ code: 1, stderr: expect.stringContaining('cannot read /nonexistent/file.md') });
  });
});
