/**
 * Edit distance and the "did you mean" suggestion picked from it.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../../src/cli/machinery/edit-distance.ts';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swaps', () => {
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('lable', 'label')).toBe(1);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('closest', () => {
  it('picks the nearest plausible candidate', () => {
    expect(closest('lable', ['label', 'filter', 'session'])).toBe('label');
    expect(closest('generate-symetric', ['generate-symmetric', 'generate-file'])).toBe('generate-symmetric');
  });
  it('prefers a candidate the input is a prefix of', () => {
    expect(closest('verb', ['verbose', 'filter'])).toBe('verbose');
  });
  it('suggests nothing for unrelated input', () => {
    expect(closest('zzzzzz', ['label', 'filter'])).toBeUndefined();
  });
});
