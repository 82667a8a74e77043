import type { SkinCondition } from '../protocol/plan.ts';
import { mean, sd, type Moments, type WorkStats } from './work-log.ts';

/**
 * The features of the work that a tiring hand shifts (docs/fatigue.md): each one's change against
 * the operator's baseline, signed so that more is more tired. `weighed` ones make the index; the
 * rest are shown for what they are, but move with the skin or the machine as much as with the hand.
 */
export const FATIGUE_FEATURES = {
  gap: { label: 'time between dots', weighed: true },
  dwellCv: { label: 'dwell variability', weighed: true },
  pause: { label: 'pauses between strokes', weighed: true },
  dwell: { label: 'dwell time', weighed: false },
  cyclesPerDot: { label: 'cycles per dot', weighed: false },
  jitter: { label: 'cycle-rate unsteadiness', weighed: false },
} as const;
export type FatigueFeature = keyof typeof FATIGUE_FEATURES;

export interface FeatureChange {
  feature: FatigueFeature;
  /** Relative change against the baseline: 0.45 is +45 %. */
  change: number;
  /** How many standard errors the change is from none. */
  z: number;
}

export interface FatigueReading {
  /** The weighed features' evidence combined (Stouffer's z); ≥ the policy's threshold reads as fatigue. */
  index: number;
  features: FeatureChange[];
  /** Dots in the window that had a baseline to compare with. */
  dots: number;
}

export interface FatigueThresholds {
  /** The combined evidence that reads as fatigue. */
  raiseAt: number;
  /** At least one weighed feature changed this much: a significant but tiny shift is no sign. */
  minChange: number;
  /** Fewer compared dots than this and nothing is read. */
  minDots: number;
}

export const defaultFatigueThresholds: FatigueThresholds = { raiseAt: 4, minChange: 0.1, minDots: 400 };

interface Estimate {
  /** log(window / baseline) */
  logRatio: number;
  variance: number;
  weight: number;
}

/** log-ratio of two means, with its variance by the delta method. */
function meanRatio(window: Moments, baseline: Moments): Estimate | null {
  if (window.n < 20 || baseline.n < 20) return null;
  const [mw, mb] = [mean(window), mean(baseline)];
  if (!(mw > 0 && mb > 0)) return null;
  const variance = (sd(window) / mw) ** 2 / window.n + (sd(baseline) / mb) ** 2 / baseline.n;
  return { logRatio: Math.log(mw / mb), variance, weight: window.n };
}

/** log-ratio of two coefficients of variation, with the variance of a normal sample's. */
function cvRatio(window: Moments, baseline: Moments): Estimate | null {
  if (window.n < 20 || baseline.n < 20) return null;
  const cv = (m: Moments) => sd(m) / mean(m);
  const [cw, cb] = [cv(window), cv(baseline)];
  if (!(cw > 0 && cb > 0)) return null;
  const variance = (0.5 + cw * cw) / window.n + (0.5 + cb * cb) / baseline.n;
  return { logRatio: Math.log(cw / cb), variance, weight: window.n };
}

function spreadRatio(window: Moments, baseline: Moments): Estimate | null {
  if (window.n < 20 || baseline.n < 20) return null;
  const [sw, sb] = [Math.sqrt(window.sq / window.n), Math.sqrt(baseline.sq / baseline.n)];
  if (!(sw > 0 && sb > 0)) return null;
  return { logRatio: Math.log(sw / sb), variance: 1 / (2 * window.n) + 1 / (2 * baseline.n), weight: window.n };
}

const MEASURES: Record<FatigueFeature, (w: WorkStats, b: WorkStats) => Estimate | null> = {
  gap: (w, b) => meanRatio(w.gap, b.gap),
  dwellCv: (w, b) => cvRatio(w.dwell, b.dwell),
  pause: (w, b) => meanRatio(w.pause, b.pause),
  dwell: (w, b) => meanRatio(w.dwell, b.dwell),
  cyclesPerDot: (w, b) => {
    const [pw, pb] = [w.cycles / w.dots, b.cycles / b.dots];
    return w.dots > 20 && b.dots > 20 && pw > 0 && pb > 0 ? { logRatio: Math.log(pw / pb), variance: 0, weight: w.dots } : null;
  },
  jitter: (w, b) => spreadRatio(w.jitter, b.jitter),
};

/**
 * Reads the recent work against the baseline, skin by skin, so that moving onto scar tissue (a
 * longer, less even dwell) is compared with earlier scar work, never with normal skin. Pure.
 */
export function readFatigue(
  window: ReadonlyMap<SkinCondition, WorkStats>,
  baselines: ReadonlyMap<SkinCondition, WorkStats>,
  thresholds: FatigueThresholds = defaultFatigueThresholds,
): FatigueReading | null {
  let dots = 0;
  const pairs: Array<[WorkStats, WorkStats]> = [];
  for (const [skin, stats] of window) {
    const baseline = baselines.get(skin);
    if (!baseline) continue;
    pairs.push([stats, baseline]);
    dots += stats.dots;
  }
  if (dots < thresholds.minDots) return null;

  const features: FeatureChange[] = [];
  for (const feature of Object.keys(MEASURES) as FatigueFeature[]) {
    // Each skin's change, weighted by its share of the window's work.
    const estimates = pairs.map(([w, b]) => MEASURES[feature](w, b)).filter((e) => e !== null);
    const weight = estimates.reduce((sum, e) => sum + e.weight, 0);
    if (weight === 0) continue;
    const logRatio = estimates.reduce((sum, e) => sum + (e.weight / weight) * e.logRatio, 0);
    const variance = estimates.reduce((sum, e) => sum + (e.weight / weight) ** 2 * e.variance, 0);
    features.push({ feature, change: Math.exp(logRatio) - 1, z: variance > 0 ? logRatio / Math.sqrt(variance) : 0 });
  }
  const weighed = features.filter((f) => FATIGUE_FEATURES[f.feature].weighed);
  const index = weighed.length > 0 ? weighed.reduce((sum, f) => sum + f.z, 0) / Math.sqrt(weighed.length) : 0;
  return { index, features, dots };
}

/** Whether a reading is a sign of fatigue: strong combined evidence, and a change big enough to matter. */
export function showsFatigue(reading: FatigueReading | null, thresholds: FatigueThresholds = defaultFatigueThresholds): boolean {
  if (!reading || reading.index < thresholds.raiseAt) return false;
  return reading.features.some((f) => FATIGUE_FEATURES[f.feature].weighed && f.change >= thresholds.minChange && f.z > 0);
}

/** The weighed feature that changed most towards fatigue: what the hint names. */
export function strongestSign(reading: FatigueReading): FeatureChange | undefined {
  return reading.features.filter((f) => FATIGUE_FEATURES[f.feature].weighed).sort((a, b) => b.z - a.z)[0];
}
