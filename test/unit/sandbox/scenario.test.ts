import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../../../src/ui/sandbox/base64url.ts';
import { deflateRaw } from '../../../src/ui/sandbox/compression.ts';
import { MAX_STEPS, ScenarioError, decodeScenario, encodeScenario, missingPasswords, validateScenario, type Scenario } from '../../../src/ui/sandbox/scenario.ts';

const SCENARIO: Scenario = {
  seed: 'demo',
  hsms: 3,
  model: 'hsm1.medium',
  steps: [
    { session: 'admin', line: 'cluster activate --password {{password-1}}' },
    { session: 'admin', line: 'login --username admin --role admin --password {{password-1}}' },
    { session: 'alice', line: 'key list' },
  ],
};

describe('scenario codec', () => {
  it('round-trips, starting with the format number', async () => {
    const text = await encodeScenario(SCENARIO);
    expect(text).toMatch(/^1\.[A-Za-z0-9_-]+$/);
    expect(await decodeScenario(text)).toEqual(SCENARIO);
    expect(missingPasswords(SCENARIO)).toEqual([1]);
  });

  it('round-trips any valid scenario (property)', async () => {
    const step = fc.record({ session: fc.stringMatching(/^[a-z]{1,8}$/), line: fc.string({ minLength: 1, maxLength: 80 }).filter((s) => !/[\r\n]/.test(s)) });
    await fc.assert(
      fc.asyncProperty(fc.record({ seed: fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }), hsms: fc.integer({ min: 1, max: 28 }), steps: fc.array(step, { maxLength: 20 }) }), async (s) => {
        const scenario = validateScenario({ ...(s.seed !== undefined ? { seed: s.seed } : {}), hsms: s.hsms, model: 'hsm2m.medium', steps: s.steps });
        expect(await decodeScenario(await encodeScenario(scenario))).toEqual(scenario);
      }),
      { numRuns: 60 },
    );
  });

  it('says what is wrong with a damaged, foreign or future link', async () => {
    const text = await encodeScenario(SCENARIO);
    await expect(decodeScenario(text.slice(0, text.length - 12))).rejects.toThrow(/damaged \(was the link cut short\?\)/);
    await expect(decodeScenario('hello')).rejects.toThrow(/not a scenario/);
    await expect(decodeScenario('2.abc')).rejects.toThrow('Scenario format 2 is not supported (this page reads format 1)');
    await expect(decodeScenario('1.ab$c')).rejects.toThrow(/unexpected character "\$"/);
    const notJson = `1.${toBase64Url(await deflateRaw(new TextEncoder().encode('{nope')))}`;
    await expect(decodeScenario(notJson)).rejects.toThrow('it is not JSON');
  });

  it('refuses a zip bomb instead of inflating it', async () => {
    const huge = `1.${toBase64Url(await deflateRaw(new Uint8Array(2 * 1024 * 1024).fill(32)))}`;
    await expect(decodeScenario(huge)).rejects.toThrow(/exceeds 524288 bytes/);
  });

  it('validates fields with precise messages', () => {
    expect(() => validateScenario({ ...SCENARIO, hsms: 0 })).toThrow(new ScenarioError('Scenario hsms must be a whole number from 1 to 28, got 0'));
    expect(() => validateScenario({ ...SCENARIO, model: 'hsm9' })).toThrow(/model must be one of hsm2m.medium, hsm1.medium, got "hsm9"/);
    expect(() => validateScenario({ ...SCENARIO, keys: [] })).toThrow("Unknown scenario field 'keys'");
    expect(() => validateScenario({ ...SCENARIO, steps: [{ session: 'a', line: 'x\ny' }] })).toThrow(/step 1: line must be one command line/);
    expect(() => validateScenario({ ...SCENARIO, steps: [{ session: '<script>', line: 'x' }] })).toThrow(/step 1: session must be/);
    expect(() => validateScenario({ ...SCENARIO, steps: Array.from({ length: MAX_STEPS + 1 }, () => ({ session: 'a', line: 'x' })) })).toThrow(`at most ${MAX_STEPS} steps`);
  });
});
