import type { OutlookView } from '../protocol/outlook.ts';
import type { SkinCondition } from '../protocol/plan.ts';
import { defaultFatigueThresholds, FATIGUE_FEATURES, readFatigue, showsFatigue, strongestSign, type FatigueReading } from './fatigue-signal.ts';
import { PaceEstimator } from './pace-estimate.ts';
import { forecastFinish, type BreakOutlook, type RegionLeft } from './pace-forecast.ts';
import { MINUTE_MS, WorkLog, type WorkStats } from './work-log.ts';

/** Work before the first forecast: fewer minutes would give a range wider than the day. */
export const FORECAST_AFTER_MS = 5 * MINUTE_MS;
/** The recent work that is read for signs of fatigue. */
export const FATIGUE_WINDOW_MS = 20 * MINUTE_MS;
/** Signs once shown stay until the evidence has fallen to half the threshold: no flicker at its edge. */
const CLEAR_AT = defaultFatigueThresholds.raiseAt / 2;

export interface LookInput {
  at: number;
  /** The plan's regions still to do, in work order; null without a plan. */
  regionsLeft: RegionLeft[] | null;
  breaks: BreakOutlook;
  /** Whether the clinic wants fatigue read at all. */
  readFatigue: boolean;
}

/**
 * One session's look ahead, for the operator working it: their work logged as it comes, their pace
 * estimated, the plan's finish forecast and the work read for signs of fatigue against their own
 * baseline (this session's first hour per skin, or their earlier sessions' until that is in).
 * Pure: the service feeds it and asks it.
 */
export class SessionOutlook {
  readonly log = new WorkLog();
  readonly #pace = new PaceEstimator();
  #signsSince: number | null = null;

  constructor(
    readonly operatorId: string,
    /** The operator's baselines from earlier sessions, per skin. */
    private readonly earlier: ReadonlyMap<SkinCondition, WorkStats>,
  ) {}

  look({ at, regionsLeft, breaks, readFatigue: read }: LookInput): OutlookView {
    this.#pace.update(this.log);
    const pace = this.#pace.estimate();
    const forecast =
      pace && regionsLeft && this.log.workMs >= FORECAST_AFTER_MS
        ? forecastFinish({ now: at, pace: pace.bySkin, overall: pace.overall, needleShare: pace.needleShare, regions: regionsLeft, breaks })
        : null;
    return { at, forecast, fatigue: read ? this.#fatigue(at) : null };
  }

  /** The baselines this session has completed, to keep for the operator's next session. */
  baselines(): Map<SkinCondition, WorkStats> {
    return this.log.baselines();
  }

  /** Whether signs of fatigue show now (as of the last look). */
  get showingSigns(): boolean {
    return this.#signsSince !== null;
  }

  #fatigue(at: number): OutlookView['fatigue'] {
    const own = this.log.baselines();
    const baselines = new Map(this.earlier);
    for (const [skin, stats] of own) baselines.set(skin, stats);
    const window = this.log.window(FATIGUE_WINDOW_MS);
    const reading = readFatigue(window, baselines);
    if (!reading) {
      this.#signsSince = null;
      return null;
    }
    const shown = showsFatigue(reading) || (this.#signsSince !== null && reading.index >= CLEAR_AT);
    this.#signsSince = shown ? (this.#signsSince ?? at) : null;
    const againstEarlier = [...window.keys()].some((skin) => !own.has(skin) && this.earlier.has(skin));
    return {
      index: round2(reading.index),
      shown,
      strongest: strongest(reading),
      against: againstEarlier ? 'earlier-sessions' : 'first-hour',
      since: this.#signsSince,
    };
  }
}

function strongest(reading: FatigueReading) {
  const sign = strongestSign(reading);
  return sign ? { label: FATIGUE_FEATURES[sign.feature].label, change: round2(sign.change) } : null;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
