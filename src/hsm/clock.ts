/**
 * Time for the HSM. Every timestamp the HSM makes comes from an injected clock, so a seeded HSM
 * with a virtual clock answers byte-identically on every run. A virtual clock moves only when the
 * dispatcher tells it a request changed the HSM's state, so read-only requests (listing users or
 * keys, hsm-info, sync status, audit reads) never shift the times later requests see.
 * @module
 */

/** Milliseconds since the Unix epoch; `advance` is called after every state-changing request. */
export interface Clock {
  (): number;
  /** Move on after a state-changing request (a virtual clock steps; the system clock ignores it). */
  advance?(): void;
}

export const systemClock: Clock = () => Date.now();

/**
 * A clock that starts at `startMs` and advances `stepMs` after each state-changing request (the
 * dispatcher calls {@link Clock.advance}): reading it never changes it, so reads do not move time,
 * and successive state changes still get distinct, reproducible times.
 */
export function virtualClock(startMs = Date.UTC(2026, 0, 1), stepMs = 1000): Clock {
  if (!Number.isFinite(startMs) || !Number.isFinite(stepMs) || stepMs <= 0) {
    throw new RangeError(`virtualClock: startMs must be finite and stepMs positive, got ${startMs} and ${stepMs}`);
  }
  let now = startMs;
  const clock: Clock = () => now;
  clock.advance = () => {
    now += stepMs;
  };
  return clock;
}
