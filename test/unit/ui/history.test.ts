import { describe, expect, it } from 'vitest';
import { CommandHistory, holdsSecret } from '../../../src/ui/history.ts';

describe('CommandHistory', () => {
  it('walks back with previous and forward to the draft with next', () => {
    const h = new CommandHistory();
    h.record('user list');
    h.record('key list');
    expect(h.previous('dra')).toBe('key list');
    expect(h.previous('key list')).toBe('user list');
    expect(h.previous('user list')).toBe('user list');
    expect(h.next('user list')).toBe('key list');
    expect(h.next('key list')).toBe('dra');
    expect(h.next('dra')).toBe('dra');
  });

  it('skips blanks, consecutive repeats and lines with passwords', () => {
    const h = new CommandHistory();
    h.record('  ');
    h.record('user list');
    h.record('user list');
    h.record('login --username admin --role admin --password secret1');
    h.record('cluster activate --password=abc');
    expect(h.lines).toEqual(['user list']);
  });

  it('keeps at most `limit` lines, dropping the oldest', () => {
    const h = new CommandHistory(2);
    for (const l of ['a', 'b', 'c']) h.record(l);
    expect(h.lines).toEqual(['b', 'c']);
    expect(() => new CommandHistory(0)).toThrow(RangeError);
  });

  it('recognises secrets only as flags', () => {
    expect(holdsSecret('user create --username x --role crypto-user --password p')).toBe(true);
    expect(holdsSecret('user change-password --username x --role admin')).toBe(false);
  });
});
