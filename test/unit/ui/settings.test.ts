import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, loadSettings, parseSettings, saveSettings } from '../../../src/ui/settings.ts';

function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), map };
}

describe('page settings', () => {
  it('defaults to 2 HSMs of the hsm2m.medium model', () => {
    expect(loadSettings(memoryStorage())).toEqual({ hsmCount: 2, model: 'hsm2m.medium' });
  });

  it('round-trips through storage', () => {
    const s = memoryStorage();
    saveSettings({ hsmCount: 5, model: 'hsm1.medium' }, s);
    expect(loadSettings(s)).toEqual({ hsmCount: 5, model: 'hsm1.medium' });
  });

  it('refuses out-of-range counts and unknown models, naming the field', () => {
    expect(() => parseSettings({ hsmCount: 29, model: 'hsm2m.medium' })).toThrow(/settings.hsmCount must be an integer from 1 to 28, got 29/);
    expect(() => parseSettings({ hsmCount: 1.5, model: 'hsm2m.medium' })).toThrow(RangeError);
    expect(() => parseSettings({ hsmCount: 2, model: 'hsm9' })).toThrow(/settings.model must be one of/);
    expect(() => saveSettings({ hsmCount: 0, model: 'hsm2m.medium' }, memoryStorage())).toThrow(RangeError);
  });

  it('falls back to the defaults when what is stored is unreadable', () => {
    const s = memoryStorage();
    s.map.set('hsm-playground.settings', '{"hsmCount":99}');
    expect(loadSettings(s)).toEqual(DEFAULT_SETTINGS);
  });
});
