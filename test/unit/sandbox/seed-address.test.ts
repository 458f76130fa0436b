import { describe, expect, it } from 'vitest';
import { MAX_SEED_LENGTH, seededVisitFrom } from '../../../src/ui/sandbox/seed-address.ts';

describe('seededVisitFrom', () => {
  it('is undefined without a seed, whatever else the address holds', () => {
    expect(seededVisitFrom('')).toBeUndefined();
    expect(seededVisitFrom('?hsms=3&selftest')).toBeUndefined();
  });

  it('takes the seed with the Node tool defaults (2 HSMs, hsm2m.medium), never the saved settings', () => {
    expect(seededVisitFrom('?seed=demo')).toEqual({ seed: 'demo', hsmCount: 2, model: 'hsm2m.medium' });
  });

  it('decodes the seed and reads hsms and model from the address', () => {
    expect(seededVisitFrom('?seed=a%20b%2Fc&hsms=3&model=hsm1.medium')).toEqual({ seed: 'a b/c', hsmCount: 3, model: 'hsm1.medium' });
  });

  it('refuses an empty or overlong seed, naming the parameter', () => {
    expect(() => seededVisitFrom('?seed=')).toThrow(/parameter seed must be 1 to 200 characters, got 0/);
    expect(() => seededVisitFrom(`?seed=${'x'.repeat(MAX_SEED_LENGTH + 1)}`)).toThrow(RangeError);
    expect(seededVisitFrom(`?seed=${'x'.repeat(MAX_SEED_LENGTH)}`)?.seed).toHaveLength(MAX_SEED_LENGTH);
  });

  it('refuses a bad hsms or model instead of falling back', () => {
    expect(() => seededVisitFrom('?seed=s&hsms=0')).toThrow(/hsms must be a whole number from 1 to 28, got "0"/);
    expect(() => seededVisitFrom('?seed=s&hsms=29')).toThrow(/hsms/);
    expect(() => seededVisitFrom('?seed=s&hsms=2.5')).toThrow(/hsms/);
    expect(() => seededVisitFrom('?seed=s&hsms=')).toThrow(/hsms/);
    expect(() => seededVisitFrom('?seed=s&model=hsm9')).toThrow(/model must be one of hsm2m.medium, hsm1.medium, got "hsm9"/);
  });
});
