/**
 * The main page's deterministic mode from its address: `index.html?seed=S` (optionally with
 * `&hsms=N` and `&model=M`, as `npx hsm-playground --seed S --hsms N --model M`). A seeded visit gets
 * a cluster of its own, in memory, built from the defaults and the address only — never from the
 * page's saved settings — so the same address gives the same keys, handles and signatures in any
 * browser and in Node. Pure: it reads a query string, not `location`.
 * @module
 */
import type { HsmModel } from '../../hsm/state.ts';
import { SCENARIO_MODELS } from './scenario.ts';

/** The longest seed accepted (the same limit as a scenario's seed). */
export const MAX_SEED_LENGTH = 200;
/** What a seeded visit gets when the address does not say: the same defaults as the Node tool. */
export const SEEDED_DEFAULTS = { hsmCount: 2, model: 'hsm2m.medium' } as const satisfies { hsmCount: number; model: HsmModel };

export interface SeededVisit {
  readonly seed: string;
  readonly hsmCount: number;
  readonly model: HsmModel;
}

/**
 * The seeded visit the query string asks for; `undefined` without `seed`. Throws a RangeError naming
 * the parameter when `seed`, `hsms` or `model` is unusable (the page then says so instead of quietly
 * using real randomness).
 */
export function seededVisitFrom(search: string): SeededVisit | undefined {
  const params = new URLSearchParams(search);
  const seed = params.get('seed');
  if (seed === null) return undefined;
  if (seed.length === 0 || seed.length > MAX_SEED_LENGTH) throw new RangeError(`The address parameter seed must be 1 to ${MAX_SEED_LENGTH} characters, got ${seed.length}`);
  const hsmsText = params.get('hsms');
  const hsmCount = hsmsText === null ? SEEDED_DEFAULTS.hsmCount : Number(hsmsText);
  if (!/^\d+$/.test(hsmsText ?? '2') || !Number.isInteger(hsmCount) || hsmCount < 1 || hsmCount > 28) {
    throw new RangeError(`The address parameter hsms must be a whole number from 1 to 28, got ${JSON.stringify(hsmsText)}`);
  }
  const modelText = params.get('model');
  const model = modelText === null ? SEEDED_DEFAULTS.model : SCENARIO_MODELS.find((m) => m === modelText);
  if (model === undefined) throw new RangeError(`The address parameter model must be one of ${SCENARIO_MODELS.join(', ')}, got ${JSON.stringify(modelText)}`);
  return { seed, hsmCount, model };
}
