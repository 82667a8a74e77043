import type { SkinCondition } from '../protocol/plan.ts';

/** n, Σx and Σx² of a measure: enough for its mean and spread, and they add up. */
export interface Moments {
  n: number;
  sum: number;
  sq: number;
}

/**
 * A stretch of one operator's work as sums, so that stretches add up: a window is the sum of its
 * minutes. Working time is time at the chair that is neither a break (enforced, or a pause as long
 * as one) nor a handpiece gone quiet.
 */
export interface WorkStats {
  workMs: number;
  needleMs: number;
  dots: number;
  /** Σ cycles of the dots: cycles per dot. */
  cycles: number;
  dwell: Moments;
  /** Gaps between successive dots within one burst of the needle: the hand's pace. */
  gap: Moments;
  /** Pauses between bursts up to MICRO_PAUSE_MAX_MS: the breath between strokes, not a wipe or a break. */
  pause: Moments;
  /** Changes of cycle rate from one sample to the next within a burst: how steadily it is held. */
  jitter: Moments;
}

export interface WorkMinute {
  skin: SkinCondition;
  /** Working time before this minute began, since the log started: where it lies in the work. */
  startWorkMs: number;
  stats: WorkStats;
}

/** Longer silences between samples are a device gone quiet, not work. */
const MAX_SAMPLE_GAP_MS = 5_000;
/** Longer pauses are a rest (a natural break), not working time. */
export const REST_PAUSE_MS = 2 * 60_000;
export const MICRO_PAUSE_MAX_MS = 5_000;
export const MINUTE_MS = 60_000;
const MAX_BURST_ENDS = 64;
/** Samples further apart than this are not successive readings of one burst. */
const JITTER_MAX_GAP_MS = 1_000;

export const emptyMoments = (): Moments => ({ n: 0, sum: 0, sq: 0 });
export const emptyStats = (): WorkStats => ({
  workMs: 0, needleMs: 0, dots: 0, cycles: 0, dwell: emptyMoments(), gap: emptyMoments(), pause: emptyMoments(), jitter: emptyMoments(),
});

function addTo(m: Moments, x: number): void {
  m.n += 1;
  m.sum += x;
  m.sq += x * x;
}

export function mergeStats(into: WorkStats, from: WorkStats): WorkStats {
  into.workMs += from.workMs;
  into.needleMs += from.needleMs;
  into.dots += from.dots;
  into.cycles += from.cycles;
  for (const key of ['dwell', 'gap', 'pause', 'jitter'] as const) {
    into[key].n += from[key].n;
    into[key].sum += from[key].sum;
    into[key].sq += from[key].sq;
  }
  return into;
}

export const mean = (m: Moments): number => (m.n > 0 ? m.sum / m.n : NaN);
export const sd = (m: Moments): number => (m.n > 1 ? Math.sqrt(Math.max(0, (m.sq - (m.sum * m.sum) / m.n) / (m.n - 1))) : NaN);

export interface WorkLogOptions {
  /** How much of the start of the work, per skin, is its baseline. */
  baselineMs: number;
  /** How much recent work is kept minute by minute. */
  keepMs: number;
}

export const defaultWorkLog: WorkLogOptions = { baselineMs: 60 * MINUTE_MS, keepMs: 90 * MINUTE_MS };

/**
 * One session's work at one handpiece, minute by minute of working time and per kind of skin, from
 * the telemetry and dots the box already has. Pure: every input carries its time. Memory is
 * bounded: the baseline per skin, the totals per skin and the last `keepMs` of minutes.
 */
export class WorkLog {
  readonly #options: WorkLogOptions;
  readonly #baseline = new Map<SkinCondition, WorkStats>();
  readonly #total = new Map<SkinCondition, WorkStats>();
  readonly #minutes: WorkMinute[] = [];
  #skin: SkinCondition = 'normal';
  #workMs = 0;
  #lastAt: number | null = null;
  #running = false;
  #lastHz: number | null = null;
  #pauseSince: number | null = null;
  /** The pause began as a burst ended and no break came in it: a breath between strokes. */
  #breath = false;
  /** Every burst's end since the newest dot: a dot after one of them starts a new burst. */
  #burstEnds: number[] = [];
  #lastDotAt: number | null = null;

  constructor(options: Partial<WorkLogOptions> = {}) {
    this.#options = { ...defaultWorkLog, ...options };
  }

  /** The skin of the region now worked (the plan's; normal without one). */
  set skin(skin: SkinCondition) {
    this.#skin = skin;
  }

  get skin(): SkinCondition {
    return this.#skin;
  }

  /** Working time so far. */
  get workMs(): number {
    return this.#workMs;
  }

  /** A telemetry sample; `onBreak` while an enforced break holds the handpiece. */
  sample(at: number, running: boolean, cycleHz: number, onBreak: boolean): void {
    const last = this.#lastAt;
    if (last !== null && at < last) return;
    if (last !== null) {
      const dt = at - last;
      // A pause is not known to be a rest until it has lasted as long as one: its first two minutes count as work.
      const resting = !this.#running && this.#pauseSince !== null && at - this.#pauseSince > REST_PAUSE_MS;
      if (dt <= MAX_SAMPLE_GAP_MS && !onBreak && !resting) {
        const stats = this.#current();
        stats.workMs += dt;
        this.#workMs += dt;
        if (this.#running) stats.needleMs += dt;
      }
    }
    if (running && this.#running && this.#lastHz !== null && last !== null && at - last <= JITTER_MAX_GAP_MS) {
      addTo(this.#current().jitter, cycleHz - this.#lastHz);
    }
    if (running && !this.#running && this.#pauseSince !== null) {
      const paused = at - this.#pauseSince;
      if (this.#breath && paused <= MICRO_PAUSE_MAX_MS && !onBreak) addTo(this.#current().pause, paused);
    }
    if (!running && this.#running) {
      this.#burstEnds.push(at);
      // Dots lag their samples, but not by this many bursts; a handpiece that bursts without dots must not grow the list.
      if (this.#burstEnds.length > MAX_BURST_ENDS) this.#burstEnds.shift();
      this.#pauseSince = at;
      this.#breath = true;
    }
    // A pause is counted from the end of any break in it: getting going again is work, not a breath.
    if (!running && (last === null || onBreak)) {
      this.#pauseSince = at;
      this.#breath = false;
    }
    this.#running = running;
    this.#lastHz = running ? cycleHz : null;
    this.#lastAt = at;
  }

  dot(at: number, dwellMs: number, cycles: number): void {
    const stats = this.#current();
    stats.dots += 1;
    stats.cycles += cycles;
    addTo(stats.dwell, dwellMs);
    const last = this.#lastDotAt;
    if (last !== null && at > last && !this.#burstEnds.some((end) => end > last && end <= at)) addTo(stats.gap, at - last);
    this.#burstEnds = this.#burstEnds.filter((end) => end > at);
    if (last === null || at > last) this.#lastDotAt = at;
  }

  /** Per skin, the first `baselineMs` of its work in this log. */
  baseline(skin: SkinCondition): WorkStats | undefined {
    return this.#baseline.get(skin);
  }

  /** Per skin, the baselines that are complete. */
  baselines(): Map<SkinCondition, WorkStats> {
    return new Map([...this.#baseline].filter(([, stats]) => stats.workMs >= this.#options.baselineMs));
  }

  total(skin: SkinCondition): WorkStats | undefined {
    return this.#total.get(skin);
  }

  /** The kept minutes, oldest first; the newest may still be filling. */
  minutes(): readonly WorkMinute[] {
    return this.#minutes;
  }

  /** The minutes of the last `ms` of working time, per skin. */
  window(ms: number): Map<SkinCondition, WorkStats> {
    const bySkin = new Map<SkinCondition, WorkStats>();
    const from = this.#workMs - ms;
    for (let i = this.#minutes.length - 1; i >= 0; i--) {
      const minute = this.#minutes[i]!;
      if (minute.startWorkMs + minute.stats.workMs <= from) break;
      mergeStats(bySkin.get(minute.skin) ?? bySkin.set(minute.skin, emptyStats()).get(minute.skin)!, minute.stats);
    }
    return bySkin;
  }

  /**
   * The minute now being filled: a new one once a minute of work is in, or the skin changed. A
   * minute goes into its skin's total (and baseline, while that is young) when it is full.
   */
  #current(): WorkStats {
    let minute = this.#minutes.at(-1);
    if (!minute || minute.skin !== this.#skin || minute.stats.workMs >= MINUTE_MS) {
      if (minute) this.#close(minute);
      minute = { skin: this.#skin, startWorkMs: this.#workMs, stats: emptyStats() };
      this.#minutes.push(minute);
      while (this.#minutes.length > 1 && this.#workMs - this.#minutes[0]!.startWorkMs > this.#options.keepMs) this.#minutes.shift();
    }
    return minute.stats;
  }

  #close(minute: WorkMinute): void {
    const total = this.#total.get(minute.skin) ?? this.#total.set(minute.skin, emptyStats()).get(minute.skin)!;
    mergeStats(total, minute.stats);
    const baseline = this.#baseline.get(minute.skin) ?? this.#baseline.set(minute.skin, emptyStats()).get(minute.skin)!;
    if (baseline.workMs < this.#options.baselineMs) mergeStats(baseline, minute.stats);
  }
}
