/**
 * The page's own settings: how many HSMs and which model a new cluster gets. Kept in
 * localStorage (they are not HSM state; the HSMs persist themselves in IndexedDB), validated on
 * the way in, and carried inside an exported cluster file.
 * @module
 */
import type { HsmModel } from '../hsm/state.ts';

export const HSM_MODELS: readonly HsmModel[] = ['hsm2m.medium', 'hsm1.medium'];
export const MIN_HSMS = 1;
export const MAX_HSMS = 28;

export interface PageSettings {
  /** HSMs in a new cluster (1–28). */
  readonly hsmCount: number;
  readonly model: HsmModel;
}

export const DEFAULT_SETTINGS: PageSettings = { hsmCount: 2, model: 'hsm2m.medium' };

const STORAGE_KEY = 'hsm-playground.settings';

/** Checks a value read from outside (a file, localStorage); throws a TypeError/RangeError naming the bad field. */
export function parseSettings(value: unknown): PageSettings {
  if (typeof value !== 'object' || value === null) throw new TypeError('settings must be an object');
  const { hsmCount, model } = value as Record<string, unknown>;
  if (typeof hsmCount !== 'number' || !Number.isInteger(hsmCount) || hsmCount < MIN_HSMS || hsmCount > MAX_HSMS) {
    throw new RangeError(`settings.hsmCount must be an integer from ${MIN_HSMS} to ${MAX_HSMS}, got ${JSON.stringify(hsmCount)}`);
  }
  if (typeof model !== 'string' || !(HSM_MODELS as readonly string[]).includes(model)) {
    throw new RangeError(`settings.model must be one of ${HSM_MODELS.join(', ')}, got ${JSON.stringify(model)}`);
  }
  return { hsmCount, model: model as HsmModel };
}

/** The saved settings, or the defaults when none (or unreadable ones) are saved. */
export function loadSettings(storage: Pick<Storage, 'getItem'> = localStorage): PageSettings {
  const raw = storage.getItem(STORAGE_KEY);
  if (raw === null) return DEFAULT_SETTINGS;
  try {
    return parseSettings(JSON.parse(raw));
  } catch {
    return DEFAULT_SETTINGS;
  }
}

export function saveSettings(settings: PageSettings, storage: Pick<Storage, 'setItem'> = localStorage): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(parseSettings(settings)));
}
