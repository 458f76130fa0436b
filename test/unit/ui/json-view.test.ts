import { describe, expect, it } from 'vitest';
import { jsonTokens, prettyJson } from '../../../src/ui/json-view.ts';
import { commonPrefix } from '../../../src/ui/terminal.ts';

describe('json view', () => {
  it('re-indents one JSON document with two spaces and leaves other text alone', () => {
    expect(prettyJson('{"error_code":0,"data":"ok"}')).toBe('{\n  "error_code": 0,\n  "data": "ok"\n}');
    expect(prettyJson('Usage: key list')).toBe('Usage: key list');
    expect(prettyJson('{not json')).toBe('{not json');
  });

  it('tokens rebuild the text exactly and classify keys, strings, numbers, literals', () => {
    const text = prettyJson('{"a":"x:\\"y","n":-1.5e3,"b":true,"z":null,"l":["k"]}');
    const tokens = jsonTokens(text);
    expect(tokens.map((t) => t.text).join('')).toBe(text);
    expect(tokens.filter((t) => t.kind === 'key').map((t) => t.text)).toEqual(['"a"', '"n"', '"b"', '"z"', '"l"']);
    expect(tokens.filter((t) => t.kind === 'string').map((t) => t.text)).toEqual(['"x:\\"y"', '"k"']);
    expect(tokens.filter((t) => t.kind === 'number').map((t) => t.text)).toEqual(['-1500']);
    expect(tokens.filter((t) => t.kind === 'literal').map((t) => t.text)).toEqual(['true', 'null']);
  });

  it('commonPrefix finds what all completions share', () => {
    expect(commonPrefix(['generate-symmetric', 'generate-asymmetric-pair', 'generate-file'])).toBe('generate-');
    expect(commonPrefix(['list'])).toBe('list');
    expect(commonPrefix([])).toBe('');
  });
});
