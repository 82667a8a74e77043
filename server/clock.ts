/** Time is passed in, never read from a global, so that engines run against a fake clock in tests. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Clock milliseconds per real millisecond: 1, except in accelerated demos and tests. */
  readonly scale: number;
}

export const systemClock: Clock = { now: () => Date.now(), scale: 1 };

/**
 * A clock that runs `scale` times faster than real time, reading `startAt` now (STIPPLE_TIME_SCALE),
 * so that an eight-hour session, its breaks and its limits can be watched in minutes.
 */
export function scaledClock(scale: number, startAt = Date.now()): Clock {
  if (scale === 1) return systemClock;
  const origin = Date.now();
  return { now: () => Math.round(startAt + (Date.now() - origin) * scale), scale };
}
