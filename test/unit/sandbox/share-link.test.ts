import { describe, expect, it } from 'vitest';
import { decodeScenario, type Scenario } from '../../../src/ui/sandbox/scenario.ts';
import { MAX_LINK_LENGTH, scenarioInFragment, shareLink } from '../../../src/ui/sandbox/share-link.ts';

const BASE = 'https://example.org/app/index.html?seed=x';
const TYPICAL: readonly string[] = [
  'cluster activate --password admin-pass-1',
  'login --username admin --role admin --password admin-pass-1',
  'user create --username alice --role crypto-user --password alice-pass-1',
  'key generate-asymmetric-pair ec --curve prime256v1 --public-label pub-1 --private-label key-1 --private-attributes sign=true',
  'crypto sign ecdsa --key-filter attr.label=key-1 --hash-function sha256 --data aGVsbG8=',
  'key share --key-filter attr.label=key-1 --username bob --role crypto-user',
  'user list',
  'key list --verbose',
];

function scenarioOf(n: number): Scenario {
  return { seed: 'demo', hsms: 2, model: 'hsm2m.medium', steps: Array.from({ length: n }, (_, i) => ({ session: i % 2 ? 'alice' : 'admin', line: `${TYPICAL[i % TYPICAL.length]!} # ${i}` })) };
}

describe('share links', () => {
  it('puts the scenario in the fragment, without passwords unless asked', async () => {
    const scenario = scenarioOf(3);
    const link = await shareLink(`${BASE}#old`, scenario, false);
    if (!link.ok) throw new Error(link.message);
    expect(link.url.startsWith(`${BASE}#scenario=1.`)).toBe(true);
    const decoded = await decodeScenario(scenarioInFragment(new URL(link.url).hash)!);
    expect(decoded.steps[0]!.line).toBe('cluster activate --password {{password-1}} # 0');
    expect(JSON.stringify(decoded)).not.toContain('admin-pass-1');
    const withPasswords = await shareLink(BASE, scenario, true);
    if (!withPasswords.ok) throw new Error(withPasswords.message);
    expect(await decodeScenario(scenarioInFragment(new URL(withPasswords.url).hash)!)).toEqual(scenario);
  });

  it('fits well over 100 typical commands in a link, and refuses one over the limit with a reason', async () => {
    // Measured: compression makes repeated commands cheap; unique random data would not compress.
    const fits = await shareLink(BASE, scenarioOf(120), false);
    expect(fits.ok).toBe(true);
    expect(fits.length).toBeLessThan(MAX_LINK_LENGTH);
    const tooLong = await shareLink(BASE, { ...scenarioOf(1), steps: Array.from({ length: 200 }, (_, i) => ({ session: 'a', line: `crypto digest --hash-function sha256 --data ${btoa(String(Math.sin(i + 1)).repeat(6))}` })) }, false);
    expect(tooLong.ok).toBe(false);
    if (!tooLong.ok) expect(tooLong.message).toMatch(/over the 8000 that links can safely carry/);
  });

  it('finds the scenario among other fragment parameters, or nothing', () => {
    expect(scenarioInFragment('#a=1&scenario=1.xyz')).toBe('1.xyz');
    expect(scenarioInFragment('#terminal')).toBeUndefined();
    expect(scenarioInFragment('')).toBeUndefined();
  });
});
