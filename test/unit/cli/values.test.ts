/**
 * Flag value reading: the base64/hex codecs and readFlagValue's validation with messages naming the flag.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { decodeBase64, decodeHex, encodeBase64, readFlagValue } from '../../../src/cli/machinery/values.ts';

describe('codecs', () => {
  it('decodes standard base64 and refuses malformed text', () => {
    expect(decodeBase64('YWJjMTIz')).toEqual(new TextEncoder().encode('abc123'));
    expect(decodeBase64('YWI=')).toEqual(new TextEncoder().encode('ab'));
    expect(decodeBase64('YWJj!')).toBeUndefined();
    expect(decodeBase64('YWJ')).toBeUndefined();
    expect(encodeBase64(new Uint8Array([0xff, 0, 1]))).toBe('/wAB');
  });
  it('decodes hex with or without 0x and refuses odd lengths', () => {
    expect(decodeHex('0xA6a6')).toEqual(new Uint8Array([0xa6, 0xa6]));
    expect(decodeHex('00ff')).toEqual(new Uint8Array([0, 255]));
    expect(decodeHex('0xabc')).toBeUndefined();
    expect(decodeHex('zz')).toBeUndefined();
  });
});

describe('readFlagValue', () => {
  it('validates ints against bounds, naming the flag', () => {
    const flag = { name: 'key-length-bytes', type: 'int' as const, help: '', min: 16, max: 32 };
    expect(readFlagValue(flag, ['24'])).toEqual({ ok: true, value: 24 });
    expect(readFlagValue(flag, ['8'])).toEqual({ ok: false, error: "Invalid value '8' for --key-length-bytes: expected a whole number from 16 to 32" });
    expect(readFlagValue(flag, ['1e3']).ok).toBe(false);
  });
  it('parses attribute pairs and refuses duplicates and missing =', () => {
    const flag = { name: 'attributes', type: 'attributes' as const, help: '' };
    expect(readFlagValue(flag, ['encrypt=true', 'label=a=b'])).toEqual({ ok: true, value: { encrypt: 'true', label: 'a=b' } });
    expect(readFlagValue(flag, ['encrypt'])).toEqual({ ok: false, error: "Invalid attribute 'encrypt' for --attributes: expected <attribute>=<value>" });
    expect(readFlagValue(flag, ['a=1', 'a=2']).ok).toBe(false);
  });
  it('checks filter terms', () => {
    const flag = { name: 'filter', type: 'filter' as const, help: '' };
    expect(readFlagValue(flag, ['key-reference=0x1', 'attr.label=my key'])).toEqual({ ok: true, value: ['key-reference=0x1', 'attr.label=my key'] });
    expect(readFlagValue(flag, ['label=x']).ok).toBe(false);
  });
  it('refuses a second value for a single-value flag and a value for a bool flag', () => {
    expect(readFlagValue({ name: 'label', type: 'string', help: '' }, ['my', 'key'])).toEqual({ ok: false, error: "--label takes one value, got 2: 'my' 'key'" });
    expect(readFlagValue({ name: 'verbose', type: 'bool', help: '' }, ['yes']).ok).toBe(false);
  });
});
