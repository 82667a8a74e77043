import type { SkinCondition } from '../protocol/plan.ts';

/** Working time per dot on one kind of skin, and how much it wanders from minute to minute. */
export interface Pace {
  msPerDot: number;
  /** The spread of a minute's working time per dot, relative to the mean (coefficient of variation). */
  minuteCv: number;
  /** Minutes of work the estimate rests on. */
  minutes: number;
}

export interface RegionLeft {
  region: string;
  skin: SkinCondition;
  dots: number;
}

/** Where the operator stands against the break policy, in needle time, as the break engine has it. */
export interface BreakOutlook {
  microEveryMs: number;
  microDurationMs: number;
  restEveryMs: number;
  restDurationMs: number;
  sinceMicroMs: number;
  sinceRestMs: number;
  /** The break in force ends then (null: none in force). */
  currentUntil: number | null;
  /** When the session limit stops the handpiece, and how much needle time the day still allows. */
  sessionEndsAt: number | null;
  dayNeedleLeftMs: number;
}

export interface ForecastInput {
  now: number;
  /** Per skin; `overall` stands in for a skin not yet worked in this session. */
  pace: ReadonlyMap<SkinCondition, Pace>;
  overall: Pace;
  /** Needle time per working time: what turns work into the needle time breaks are counted in. */
  needleShare: number;
  /** The regions still to do, in the order they will be worked. */
  regions: readonly RegionLeft[];
  breaks: BreakOutlook;
}

export interface RegionForecast {
  region: string;
  dots: number;
  /** Working time it will take, breaks apart. */
  workMs: number;
  /** When it will be done, breaks included. */
  doneAt: number;
}

export interface PaceForecast {
  regions: RegionForecast[];
  finishAt: number;
  /** The 5th–95th percentile of the finish. */
  earliest: number;
  latest: number;
  /** What stops the plan before it is done, if anything: the session's length or the day's needle time. */
  limit: 'session' | 'day' | null;
  /** When that limit stops the work. */
  limitAt: number | null;
  /** The regions (in work order) that would be left for the next session. */
  leftOver: string[];
}

/**
 * The regions with dots still to do, in the order they are expected to be worked: the one being
 * worked first, then the plan's order.
 */
export function regionsLeft(
  plan: Readonly<Record<string, { skin: SkinCondition }>>,
  targets: Readonly<Record<string, number>>,
  done: (region: string) => number,
  current: string | null,
): RegionLeft[] {
  const left: RegionLeft[] = [];
  for (const [region, { skin }] of Object.entries(plan)) {
    const dots = Math.max(0, (targets[region] ?? 0) - done(region));
    if (dots > 0) left.push({ region, skin, dots });
  }
  return left.sort((a, b) => Number(b.region === current) - Number(a.region === current));
}

/** The 90 % range: ±1.645 standard deviations of a normal spread. */
const Z_90 = 1.645;

/**
 * When the plan will be done: each region's dots at the operator's recent pace on its skin, laid
 * out on the clock with the breaks the policy will still call for and the limits it will hit.
 * Pure: the numbers in, the forecast out.
 */
export function forecastFinish(input: ForecastInput): PaceForecast {
  const paceOf = (skin: SkinCondition) => input.pace.get(skin) ?? input.overall;
  const mid = timeline(input, (r) => r.dots * paceOf(r.skin).msPerDot);

  // Spread: the estimate's own error, shared by every region of a skin (from the minutes it rests
  // on), and the wander of the minutes still to come, region by region.
  const estimateError = new Map<SkinCondition, number>();
  let futureVariance = 0;
  for (const [i, r] of mid.regions.entries()) {
    const skin = input.regions[i]!.skin;
    const { minuteCv, minutes } = paceOf(skin);
    estimateError.set(skin, (estimateError.get(skin) ?? 0) + (r.workMs * minuteCv) / Math.sqrt(Math.max(1, minutes)));
    futureVariance += minuteCv ** 2 * r.workMs * 60_000;
  }
  const variance = [...estimateError.values()].reduce((sum, e) => sum + e * e, futureVariance);
  const totalWork = mid.regions.reduce((sum, r) => sum + r.workMs, 0);
  const spread = totalWork > 0 ? (Z_90 * Math.sqrt(variance)) / totalWork : 0;
  // Never quicker than no time at all, however wide the spread.
  const low = timeline(input, (r) => r.dots * paceOf(r.skin).msPerDot * Math.max(0, 1 - spread));
  const high = timeline(input, (r) => r.dots * paceOf(r.skin).msPerDot * (1 + spread));

  const { regions, finishAt, limit, limitAt, leftOver } = mid;
  return { regions, finishAt, earliest: low.finishAt, latest: high.finishAt, limit, limitAt, leftOver };
}

function timeline(input: ForecastInput, workOf: (r: RegionLeft) => number) {
  const { breaks, needleShare } = input;
  let at = Math.max(input.now, breaks.currentUntil ?? input.now);
  let sinceMicro = breaks.currentUntil !== null ? 0 : breaks.sinceMicroMs;
  let sinceRest = breaks.sinceRestMs;
  let needleLeft = breaks.dayNeedleLeftMs;
  /** When the day's needle time runs out, if it does. */
  let dayEndsAt: number | null = needleLeft <= 0 ? at : null;
  let limit: PaceForecast['limit'] = null;
  const regions: RegionForecast[] = [];
  const leftOver: string[] = [];

  for (const region of input.regions) {
    const workMs = workOf(region);
    // Work in needle time, broken by the breaks that fall due in it.
    let needle = workMs * needleShare;
    while (needle > 0) {
      const toMicro = breaks.microEveryMs - sinceMicro;
      const toRest = breaks.restEveryMs - sinceRest;
      const step = Math.max(0, Math.min(needle, toMicro, toRest));
      if (dayEndsAt === null && step > needleLeft) dayEndsAt = at + needleLeft / needleShare;
      at += step / needleShare;
      needle -= step;
      sinceMicro += step;
      sinceRest += step;
      needleLeft -= step;
      if (needle <= 0) break;
      if (toRest <= toMicro) {
        at += breaks.restDurationMs;
        sinceRest = 0;
        sinceMicro = 0;
      } else {
        at += breaks.microDurationMs;
        sinceMicro = 0;
      }
    }
    regions.push({ region: region.region, dots: region.dots, workMs, doneAt: at });
    const pastSession = breaks.sessionEndsAt !== null && at > breaks.sessionEndsAt;
    if (pastSession || needleLeft < 0) {
      limit ??= pastSession ? 'session' : 'day';
      leftOver.push(region.region);
    }
  }
  const limitAt = limit === 'session' ? breaks.sessionEndsAt : limit === 'day' ? dayEndsAt : null;
  return { regions, finishAt: at, limit, limitAt, leftOver };
}
