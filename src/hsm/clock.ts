/**
 * Time for the HSM. Every timestamp the HSM makes comes from an injected clock, so a seeded HSM
 * with a virtual clock answers byte-identically on every run.
 * @module
 */

/** Milliseconds since the Unix epoch. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/**
 * A clock that starts at `startMs` and advances `stepMs` on every reading, so that successive
 * events get distinct, reproducible times.
 */
export function virtualClock(startMs = Date.UTC(2026, 0, 1), stepMs = 1000): Clock {
  let now = startMs - stepMs;
  return () => (now += stepMs);
}
