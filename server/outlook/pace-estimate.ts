import type { SkinCondition } from '../protocol/plan.ts';
import type { Pace } from './pace-forecast.ts';
import { MINUTE_MS, type WorkLog, type WorkMinute } from './work-log.ts';

interface Sums {
  workMs: number;
  needleMs: number;
  dots: number;
}

interface Minute extends Sums {
  skin: SkinCondition;
}

export interface PaceEstimate {
  bySkin: Map<SkinCondition, Pace>;
  overall: Pace;
  needleShare: number;
}

export interface PaceEstimateOptions {
  /** How far back a change of pace is looked for (and how much came before it, at least). */
  scanMinutes: number;
  /** A change is a shift this many standard errors away, and at least `minShift` of the pace. */
  shiftZ: number;
  minShift: number;
}

export const defaultPaceEstimate: PaceEstimateOptions = { scanMinutes: 20, shiftZ: 4, minShift: 0.1 };

/** Minutes with less work than this (a skin change cut them short) say little about the pace. */
const FULL_MINUTE_MS = 0.9 * MINUTE_MS;
const KEPT_MINUTES = 90;

const add = (into: Sums, from: Sums) => {
  into.workMs += from.workMs;
  into.needleMs += from.needleMs;
  into.dots += from.dots;
};
const emptySums = (): Sums => ({ workMs: 0, needleMs: 0, dots: 0 });

/**
 * The operator's pace since it last changed: every minute of the work log joins the estimate;
 * when the minutes since some point in the last twenty run clearly faster or slower than the ones
 * before predict, the estimate starts again from that point. A forecast follows a change of pace
 * within minutes, and otherwise rests on the whole session.
 */
export class PaceEstimator {
  readonly #options: PaceEstimateOptions;
  #regime = new Map<SkinCondition, Sums>();
  #regimeMinutes = 0;
  /** The newest minutes, oldest first. */
  readonly #recent: Minute[] = [];
  #seenStart = -1;

  constructor(options: Partial<PaceEstimateOptions> = {}) {
    this.#options = { ...defaultPaceEstimate, ...options };
  }

  /** Takes in the log's minutes that are complete and not yet seen. */
  update(log: WorkLog): void {
    const minutes = log.minutes();
    for (let i = 0; i < minutes.length - 1; i++) {
      const minute = minutes[i]!;
      if (minute.startWorkMs <= this.#seenStart) continue;
      this.#seenStart = minute.startWorkMs;
      this.#take(minute);
    }
  }

  estimate(): PaceEstimate | null {
    const all = emptySums();
    for (const sums of this.#regime.values()) add(all, sums);
    if (all.dots === 0 || all.workMs === 0) return null;
    const bySkin = new Map<SkinCondition, Pace>();
    for (const [skin, sums] of this.#regime) {
      if (sums.dots > 0) bySkin.set(skin, this.#pace(sums, (m) => m.skin === skin));
    }
    return { bySkin, overall: this.#pace(all, () => true), needleShare: Math.max(0.05, all.needleMs / all.workMs) };
  }

  #pace(sums: Sums, of: (m: Minute) => boolean): Pace {
    const msPerDot = sums.workMs / sums.dots;
    const minutes = this.#recent.filter((m) => of(m) && m.workMs >= FULL_MINUTE_MS);
    // The spread of a minute's work about what its dots should have taken, relative to a minute.
    const residuals = minutes.map((m) => m.workMs - m.dots * msPerDot);
    const minuteCv = residuals.length > 2 ? Math.sqrt(residuals.reduce((s, r) => s + r * r, 0) / (residuals.length - 1)) / MINUTE_MS : 0.5;
    return { msPerDot, minuteCv, minutes: sums.workMs / MINUTE_MS };
  }

  #take(minute: WorkMinute): void {
    const { skin, stats } = minute;
    const sums = { workMs: stats.workMs, needleMs: stats.needleMs, dots: stats.dots };
    this.#recent.push({ skin, ...sums });
    if (this.#recent.length > KEPT_MINUTES) this.#recent.shift();
    add(this.#regime.get(skin) ?? this.#regime.set(skin, emptySums()).get(skin)!, sums);
    this.#regimeMinutes += 1;
    const from = this.#changePoint();
    if (from === null) return;
    this.#regime = new Map();
    const since = this.#recent.slice(from);
    for (const m of since) add(this.#regime.get(m.skin) ?? this.#regime.set(m.skin, emptySums()).get(m.skin)!, m);
    this.#regimeMinutes = since.length;
  }

  /**
   * Where in the last `scanMinutes` the pace changed, if it clearly did: the split after which the
   * minutes' work strays furthest (in standard errors) from what the minutes before it predict for
   * their dots. Null when no split stands out of the noise.
   */
  #changePoint(): number | null {
    const { scanMinutes, shiftZ, minShift } = this.#options;
    const regime = this.#recent.slice(-Math.min(this.#regimeMinutes, KEPT_MINUTES));
    const scanned = Math.min(scanMinutes, regime.length - scanMinutes);
    if (scanned < 3) return null;
    const tail = regime.slice(-scanned);
    const before = new Map<SkinCondition, Sums>();
    for (const [skin, sums] of this.#regime) before.set(skin, { ...sums });
    for (const m of tail) {
      const sums = before.get(m.skin)!;
      sums.workMs -= m.workMs;
      sums.needleMs -= m.needleMs;
      sums.dots -= m.dots;
    }
    const residual = (m: Minute) => {
      const ref = before.get(m.skin);
      if (!ref || ref.dots < 100 || m.workMs < FULL_MINUTE_MS) return null;
      const predicted = (m.dots * ref.workMs) / ref.dots;
      return { off: m.workMs - predicted, predicted };
    };
    const earlier = regime.slice(0, -scanned).map(residual).filter((r) => r !== null);
    if (earlier.length < scanMinutes / 2) return null;
    // The minute-to-minute wander before the scanned stretch: the noise a real change must stand out of.
    const noise = Math.sqrt(earlier.reduce((s, r) => s + r.off ** 2, 0) / earlier.length);
    let best: { at: number; z: number } | null = null;
    let off = 0;
    let predicted = 0;
    let n = 0;
    for (let i = tail.length - 1; i >= 0; i--) {
      const r = residual(tail[i]!);
      if (!r) continue;
      off += r.off;
      predicted += r.predicted;
      n += 1;
      const z = Math.abs(off) / (noise * Math.sqrt(n));
      if (z >= shiftZ && Math.abs(off / predicted) >= minShift && (!best || z > best.z)) best = { at: regime.length - tail.length + i, z };
    }
    return best && this.#recent.length - regime.length + best.at;
  }
}
