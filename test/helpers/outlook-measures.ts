import { STEADY_HAND } from '../../device-sim/hand-course.ts';
import type { TiringRamp } from '../../device-sim/hand-course.ts';
import { defaultBreakPolicy } from '../../server/protocol/breaks.ts';
import { HOUR, MINUTE, MIXED_SKIN_PLAN, playSession, SESSION_START, STEADY_PLAN, type WorkScenario } from './accelerated-session.ts';

const planDots = Object.values(STEADY_PLAN).reduce((sum, r) => sum + r.target, 0);

export interface ForecastCheck {
  seed: number;
  /** Share of the plan's dots done when the forecast was made. */
  share: number;
  /** Forecast minus actual finish, as a share of the session's length. */
  error: number;
  /** Whether the actual finish fell inside the stated range. */
  inRange: boolean;
}

/** Forecasts made at 25 %, 50 % and 75 % of the plan's dots, at steady pace, against the finish. */
export function forecastAccuracy(seeds: readonly number[]): ForecastCheck[] {
  return seeds.flatMap((seed) => {
    const made: Array<{ share: number; finishAt: number; earliest: number; latest: number }> = [];
    const shares = [0.25, 0.5, 0.75];
    const { endedAt } = playSession({ seed, scenario: 'steady', hours: 10, plan: STEADY_PLAN }, ({ dots, look }) => {
      const share = shares[made.length];
      if (share === undefined || dots / planDots < share) return;
      const forecast = look().forecast;
      if (forecast) made.push({ share, ...forecast });
    });
    return made.map(({ share, finishAt, earliest, latest }) => ({
      seed,
      share,
      error: (finishAt - endedAt) / (endedAt - SESSION_START),
      inRange: earliest <= endedAt && endedAt <= latest,
    }));
  });
}

export interface PaceChange {
  seed: number;
  /** The hand's new pace, as a multiple of its time per dot. */
  factor: number;
  /** Forecast error (share of the session's length) each five minutes after the change, from 0. */
  errors: number[];
  /** Minutes after the change until the forecast is within ±5 % and stays there. */
  recoveredAfter: number | null;
}

/**
 * Halfway through the plan the hand's pace changes for good (its dots and pauses take `factor`
 * times as long); how soon does the forecast follow?
 */
export function paceChangeRecovery(seeds: readonly number[], factor: number): PaceChange[] {
  return seeds.map((seed) => {
    let changedAt: number | null = null;
    const forecasts: Array<{ after: number; finishAt: number }> = [];
    const hand = () => (changedAt === null ? STEADY_HAND : { ...STEADY_HAND, dotGap: factor, pause: factor });
    const policy = { ...defaultBreakPolicy, maxSessionMs: 12 * HOUR };
    const { endedAt } = playSession({ seed, scenario: 'steady', hours: 12, plan: STEADY_PLAN, policy, hand }, ({ at, dots, look }) => {
      if (changedAt === null && dots >= planDots / 2) changedAt = at;
      if (changedAt === null || at > changedAt + 45 * MINUTE) return;
      const forecast = look().forecast;
      if (forecast) forecasts.push({ after: (at - changedAt) / MINUTE, finishAt: forecast.finishAt });
    });
    const error = (finishAt: number) => (finishAt - endedAt) / (endedAt - SESSION_START);
    const lastOut = forecasts.findLast((f) => Math.abs(error(f.finishAt)) > 0.05);
    return {
      seed,
      factor,
      errors: forecasts.filter((f) => f.after % 5 === 0).map((f) => error(f.finishAt)),
      recoveredAfter: lastOut === undefined ? 0 : lastOut.after === forecasts.at(-1)!.after ? null : lastOut.after + 1,
    };
  });
}

export interface FatigueRun {
  seed: number;
  /** Minutes from the tiring hand's onset (or the session's start) to the first sign; null: none. */
  firstSign: number | null;
  /** The highest fatigue index read in the session. */
  maxIndex: number;
}

/** Eight-hour sessions of a scenario, read every minute as the server reads them. */
export function fatigueRuns(
  scenario: WorkScenario,
  seeds: readonly number[],
  { ramp = 'settling', blindToSkin = false }: { ramp?: TiringRamp; blindToSkin?: boolean } = {},
): FatigueRun[] {
  return seeds.map((seed) => {
    let first: number | null = null;
    let maxIndex = -Infinity;
    const plan = scenario === 'region-change' ? MIXED_SKIN_PLAN : undefined;
    const { onsetAt } = playSession({ seed, scenario, hours: 8, plan, ramp, blindToSkin }, ({ at, look }) => {
      const fatigue = look().fatigue;
      if (!fatigue) return;
      maxIndex = Math.max(maxIndex, fatigue.index);
      first ??= fatigue.shown ? at : null;
    });
    const from = onsetAt ?? SESSION_START;
    return { seed, firstSign: first === null ? null : (first - from) / MINUTE, maxIndex };
  });
}

export const seedsFrom = (first: number, count: number) => Array.from({ length: count }, (_, i) => first + i);
