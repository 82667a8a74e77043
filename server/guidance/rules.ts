import { coverageLevel } from '../coverage/levels.ts';
import type { SkinCondition } from '../protocol/plan.ts';
import type { GuidanceKind, GuidanceSettings } from '../protocol/guidance.ts';

export interface GuidanceNotice {
  kind: GuidanceKind;
  region: string;
  at: number;
  message: string;
}

/** One stored dot, with what the plan says about its region and how far the region has come. */
export interface DotInContext {
  sessionId: string;
  operatorId: string;
  dot: { region: string; needles: number; dwellMs: number; cycles: number; madeAt: number };
  /** The plan's word on the dot's region; absent without a plan or for a region it lacks. */
  planned?: { needles: number; skin: SkinCondition } | undefined;
  /** Dots in the region this session, this one included, and the region's target (absent without a plan). */
  done: number;
  target?: number | undefined;
}

/** Recent dots of one operator on one kind of skin: what "usual" dwell and cycles are. */
class RecentNorm {
  readonly #dwell: number[] = [];
  readonly #cycles: number[] = [];
  #next = 0;
  #stale = 0;
  #median = { dwellMs: 0, cycles: 0 };

  constructor(private readonly window: number) {}

  get size(): number {
    return this.#dwell.length;
  }

  add(dwellMs: number, cycles: number): void {
    if (this.#dwell.length < this.window) {
      this.#dwell.push(dwellMs);
      this.#cycles.push(cycles);
    } else {
      this.#dwell[this.#next] = dwellMs;
      this.#cycles[this.#next] = cycles;
      this.#next = (this.#next + 1) % this.window;
    }
    this.#stale += 1;
  }

  /** Medians, recomputed every few dots: a bounded cost per dot, and robust to the odd long one. */
  median(): { dwellMs: number; cycles: number } {
    if (this.#stale >= 16 || this.#median.dwellMs === 0) {
      this.#median = { dwellMs: medianOf(this.#dwell), cycles: medianOf(this.#cycles) };
      this.#stale = 0;
    }
    return this.#median;
  }
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Turns the plan into live guidance, one stored dot at a time: the wrong needle grouping for the
 * region, a region going over its target, and a dot worked far longer than this operator's recent
 * norm on this kind of skin. Pure: time is the dot's own, state is in memory.
 */
export class GuidanceRules {
  readonly #norms = new Map<string, RecentNorm>();
  /** Per session, the region and needle count of the mismatch already reported. */
  readonly #mismatch = new Map<string, string>();
  /** Per session, when an overwork hint was last given in each region. */
  readonly #lastOverwork = new Map<string, Map<string, number>>();

  /** Replaced when the clinic changes them; the norms learnt so far stay. */
  constructor(public settings: GuidanceSettings) {}

  check(input: DotInContext): GuidanceNotice[] {
    const { dot, planned } = input;
    const notices: GuidanceNotice[] = [];
    const say = (kind: GuidanceKind, message: string) => notices.push({ kind, region: dot.region, at: dot.madeAt, message });

    if (planned) {
      const key = `${dot.region}:${dot.needles}`;
      if (dot.needles === planned.needles) this.#mismatch.delete(input.sessionId);
      else if (this.#mismatch.get(input.sessionId) !== key) {
        this.#mismatch.set(input.sessionId, key);
        say('needles', `${dot.needles}-needle grouping in ${dot.region}; the plan calls for ${planned.needles}`);
      }
    }

    // Counts only grow one dot at a time, so the crossing is seen exactly once per region and session.
    if (input.target !== undefined && coverageLevel(input.done, input.target) === 'over' && coverageLevel(input.done - 1, input.target) !== 'over') {
      say(
        'over-target',
        input.target === 0
          ? `dots in ${dot.region}, which the plan leaves out this session`
          : `${dot.region} is over its target (${input.done} of ${input.target} dots): stop here to keep the look natural`,
      );
    }

    const skin = planned?.skin ?? 'normal';
    const normKey = `${input.operatorId}|${skin}`;
    let norm = this.#norms.get(normKey);
    if (!norm) this.#norms.set(normKey, (norm = new RecentNorm(this.settings.normWindow)));
    if (norm.size >= this.settings.minHistory) {
      const usual = norm.median();
      const factor = this.settings.overworkFactor;
      const dwellRatio = dot.dwellMs / usual.dwellMs;
      const cyclesRatio = dot.cycles / usual.cycles;
      let cooldowns = this.#lastOverwork.get(input.sessionId);
      const last = cooldowns?.get(dot.region) ?? -Infinity;
      if ((dwellRatio > factor || cyclesRatio > factor) && dot.madeAt - last >= this.settings.overworkCooldownMs) {
        if (!cooldowns) this.#lastOverwork.set(input.sessionId, (cooldowns = new Map()));
        cooldowns.set(dot.region, dot.madeAt);
        const [what, ratio, value, usualValue] =
          dwellRatio >= cyclesRatio
            ? ['dwell', dwellRatio, `${Math.round(dot.dwellMs)} ms`, `${Math.round(usual.dwellMs)} ms`]
            : ['cycles', cyclesRatio, `${dot.cycles}`, `${Math.round(usual.cycles)}`];
        say(
          'overwork',
          `overwork hint on ${skin} skin in ${dot.region}: ${what} ${value} is ${ratio.toFixed(1)}× your recent norm (${usualValue}); ` +
            `threshold ${factor}× from settings, a hint from the handpiece, not a measured depth`,
        );
      }
    }
    norm.add(dot.dwellMs, dot.cycles);
    return notices;
  }

  /**
   * The session is over: what was said in it is history. The box runs for months, so nothing
   * keyed by a session may outlive it (the operators' norms are theirs, and stay).
   */
  sessionEnded(sessionId: string): void {
    this.#mismatch.delete(sessionId);
    this.#lastOverwork.delete(sessionId);
  }

  /** Sessions with something remembered here: at most the open ones. */
  get sessionsHeld(): number {
    return new Set([...this.#mismatch.keys(), ...this.#lastOverwork.keys()]).size;
  }
}
