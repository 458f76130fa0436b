import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineReader, lazyLines } from '../../../src/node/line-reader.ts';

function reader(): { input: PassThrough; lines: LineReader } {
  const input = new PassThrough();
  return { input, lines: new LineReader(input) };
}

describe('LineReader', () => {
  it('gives lines one at a time, without their line ends, then undefined at the end', async () => {
    const { input, lines } = reader();
    input.end('one\r\ntwo\n\nlast without newline');
    expect(await lines.next()).toBe('one');
    expect(await lines.next()).toBe('two');
    expect(await lines.next()).toBe('');
    expect(await lines.next()).toBe('last without newline');
    expect(await lines.next()).toBeUndefined();
    expect(await lines.next()).toBeUndefined();
  });

  it('waits for a line that arrives in pieces', async () => {
    const { input, lines } = reader();
    const pending = lines.next();
    input.write('hel');
    input.write('lo wor');
    input.write('ld\nnext');
    expect(await pending).toBe('hello world');
    const second = lines.next();
    input.end('\n');
    expect(await second).toBe('next');
  });

  it('decodes UTF-8 split across chunks', async () => {
    const { input, lines } = reader();
    const bytes = Buffer.from('clé → ok\n');
    input.write(bytes.subarray(0, 3));
    input.end(bytes.subarray(3));
    expect(await lines.next()).toBe('clé → ok');
  });

  it('rejects with the stream error', async () => {
    const { input, lines } = reader();
    input.destroy(new Error('boom'));
    await expect(lines.next()).rejects.toThrow('boom');
  });

  it('lazyLines opens the stream only when the first line is asked for', async () => {
    let opened = 0;
    const input = new PassThrough();
    const source = lazyLines(() => {
      opened++;
      return input;
    });
    expect(opened).toBe(0);
    input.end('a\nb\n');
    expect(await source.next()).toBe('a');
    expect(await source.next()).toBe('b');
    expect(opened).toBe(1);
  });
});
