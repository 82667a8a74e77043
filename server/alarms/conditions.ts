import { CYCLE_BAND_HZ } from '../protocol/live.ts';
import type { Condition } from '../protocol/alarms.ts';

/** A condition turning on (with what was seen) or off. */
export interface ConditionChange {
  condition: Condition;
  on: boolean;
  at: number;
  detail: string;
}

/** How long a value must hold before a condition turns on or off: no alarm on a single sample. */
export const TIMING = {
  /** Out of band this long (no sample back well inside the band in between) raises the alarm. */
  outOfBandMs: 5_000,
  /** Back inside the band, clear of its edges, this long clears it. */
  backInBandMs: 5_000,
  /** The margin inside the band that counts as "back": a rate hovering at the edge stays out. */
  bandMarginHz: 2,
  /** A handpiece offline this long during a session: a reconnect within it is no alarm. */
  offlineMs: 10_000,
  /** Online but no telemetry this long during a session: stalled. */
  silentMs: 15_000,
  batteryLowPct: 15,
  batteryOkPct: 20,
  /** The needle still running this long into a break. */
  overdueMs: 30_000,
  /** Hints and device incidents hold this long after the last one, then clear. */
  holdMs: 2 * 60_000,
} as const;

/**
 * What is wrong at one chair right now, from what its handpiece, its plan and its operator's
 * breaks report. Each condition turns on and off with hysteresis or a hold time, so a value
 * hovering at a threshold raises one alarm, not hundreds. Pure: every input carries its time.
 */
/** Conditions of the handpiece itself: they outlive a session. */
const DEVICE_CONDITIONS: ReadonlySet<Condition> = new Set(['seq-gap', 'refused-messages', 'battery-low']);
/** Conditions that hold for a while after they were last seen. */
const HELD: ReadonlySet<Condition> = new Set(['seq-gap', 'refused-messages', 'overwork', 'postpone-limit', 'over-target']);

export class ChairConditions {
  readonly #on = new Set<Condition>();
  /** Running time out of band (margin included) since an out-of-band sample, reset well inside the band. */
  #outOfBandMs = 0;
  #outOfBandEpisode = false;
  /** The last sample was needle time outside the well-inside part of the band. */
  #lastCounted = false;
  /** Needle time well inside the band since the last out-of-band sample. */
  #inBandMs = 0;
  #lastWellIn = false;
  #offlineSince: number | null = null;
  #lastSampleAt: number | null = null;
  #online = false;
  #inSession = false;
  #runningOnBreakSince: number | null = null;
  #onBreak = false;
  /** When each held condition was last seen. */
  readonly #heldSince = new Map<Condition, number>();

  isOn(condition: Condition): boolean {
    return this.#on.has(condition);
  }

  /** After a restart: an alarm still open says its condition held, last seen at `at`. */
  assume(condition: Condition, at: number): void {
    this.#on.add(condition);
    if (HELD.has(condition)) this.#heldSince.set(condition, at);
  }

  session(open: boolean, at: number): ConditionChange[] {
    this.#inSession = open;
    if (open) {
      // A new session gives the handpiece its full silence allowance.
      this.#lastSampleAt = Math.max(this.#lastSampleAt ?? at, at);
      if (!this.#online) this.#offlineSince = at;
      return [];
    }
    // A session over: what it was about is over with it; what belongs to the device stays. The time counted
    // towards cycle-out-of-band and break-overdue goes too, or the next sample would raise them again.
    this.#outOfBandMs = 0;
    this.#outOfBandEpisode = false;
    this.#inBandMs = 0;
    this.#onBreak = false;
    this.#runningOnBreakSince = null;
    return [...this.#on]
      .filter((c) => !DEVICE_CONDITIONS.has(c))
      .flatMap((c) => this.#set(c, false, at, 'the session ended'));
  }

  device(online: boolean, at: number): ConditionChange[] {
    this.#online = online;
    if (online) {
      this.#offlineSince = null;
      this.#lastSampleAt = at;
      return [...this.#set('device-offline', false, at, 'back online')];
    }
    this.#offlineSince = at;
    return this.#set('device-silent', false, at, 'offline instead');
  }

  sample(at: number, cycleHz: number, running: boolean, batteryPct: number | undefined): ConditionChange[] {
    const changes: ConditionChange[] = [];
    const sinceLast = Math.min(Math.max(0, at - (this.#lastSampleAt ?? at)), 1_000);
    this.#lastSampleAt = at;
    changes.push(...this.#set('device-silent', false, at, 'telemetry again'));

    // The band is a clinical rule: it holds while a session is open, and counts needle time only:
    // the pauses between strokes neither add to the time out of band nor wipe it out.
    const out = this.#inSession && running && (cycleHz < CYCLE_BAND_HZ.min || cycleHz > CYCLE_BAND_HZ.max);
    const wellIn = running && cycleHz >= CYCLE_BAND_HZ.min + TIMING.bandMarginHz && cycleHz <= CYCLE_BAND_HZ.max - TIMING.bandMarginHz;
    const counted = this.#inSession && running && !wellIn;
    if (counted && this.#lastCounted && this.#outOfBandEpisode) this.#outOfBandMs += sinceLast;
    this.#lastCounted = counted;
    if (wellIn) {
      this.#outOfBandEpisode = false;
      this.#outOfBandMs = 0;
    }
    if (wellIn && this.#lastWellIn) this.#inBandMs += sinceLast;
    if (running) this.#lastWellIn = wellIn;
    if (out) {
      this.#outOfBandEpisode = true;
      this.#inBandMs = 0;
      if (this.#outOfBandMs >= TIMING.outOfBandMs) {
        changes.push(...this.#set('cycle-out-of-band', true, at, `${Math.round(cycleHz)} Hz, outside ${CYCLE_BAND_HZ.min}–${CYCLE_BAND_HZ.max} Hz`));
      }
    } else if (this.#inBandMs >= TIMING.backInBandMs) {
      // A stopped needle proves nothing: the rate must be seen back in band while working.
      changes.push(...this.#set('cycle-out-of-band', false, at, 'back in band'));
    }

    if (batteryPct !== undefined) {
      if (batteryPct < TIMING.batteryLowPct) changes.push(...this.#set('battery-low', true, at, `battery at ${Math.round(batteryPct)}%`));
      else if (batteryPct >= TIMING.batteryOkPct) changes.push(...this.#set('battery-low', false, at, 'battery charged'));
    }

    if (this.#onBreak && running) {
      this.#runningOnBreakSince ??= at;
      if (at - this.#runningOnBreakSince >= TIMING.overdueMs) changes.push(...this.#set('break-overdue', true, at, 'the needle runs on during the break'));
    } else this.#runningOnBreakSince = null;
    return changes;
  }

  /** A dot's needle grouping against the plan's for its region (when the plan has one). */
  needles(at: number, used: number, planned: number | undefined, region: string): ConditionChange[] {
    if (planned === undefined) return [];
    return used === planned
      ? this.#set('needles-off-plan', false, at, `${planned} needles, as planned`)
      : this.#set('needles-off-plan', true, at, `${used} needles in ${region}; the plan says ${planned}`);
  }

  /**
   * A one-off finding (over target, overwork, a seq gap, a refused message): on now, off after the
   * hold time. Seen again while on, it is reported again, so that the alarm counts the repeat.
   */
  seen(condition: Condition, at: number, detail: string): ConditionChange[] {
    this.#heldSince.set(condition, at);
    if (!this.#on.has(condition)) return this.#set(condition, true, at, detail);
    return [{ condition, on: true, at, detail }];
  }

  /** Dots made during a break: on until the break is over. */
  violation(at: number, detail: string): ConditionChange[] {
    return this.#set('break-violation', true, at, detail);
  }

  /** The operator's break began or ended. */
  onBreak(onBreak: boolean, at: number): ConditionChange[] {
    this.#onBreak = onBreak;
    this.#runningOnBreakSince = null;
    if (onBreak) return [];
    return [...this.#set('break-overdue', false, at, 'the break is over'), ...this.#set('break-violation', false, at, 'the break is over')];
  }

  /** Time passes: offline and silence are noticed, held findings let go. */
  tick(at: number): ConditionChange[] {
    const changes: ConditionChange[] = [];
    if (this.#inSession && this.#offlineSince !== null && at - this.#offlineSince >= TIMING.offlineMs) {
      changes.push(...this.#set('device-offline', true, at, `offline for ${Math.round((at - this.#offlineSince) / 1000)} s`));
    }
    if (this.#inSession && this.#online && this.#lastSampleAt !== null && at - this.#lastSampleAt >= TIMING.silentMs) {
      changes.push(...this.#set('device-silent', true, at, `no telemetry for ${Math.round((at - this.#lastSampleAt) / 1000)} s`));
    }
    for (const [condition, since] of this.#heldSince) {
      if (condition === 'over-target') continue; // a region over its target stays over
      if (at - since >= TIMING.holdMs) {
        this.#heldSince.delete(condition);
        changes.push(...this.#set(condition, false, at, 'not seen again'));
      }
    }
    return changes;
  }

  #set(condition: Condition, on: boolean, at: number, detail: string): ConditionChange[] {
    if (this.#on.has(condition) === on) return [];
    if (on) this.#on.add(condition);
    else this.#on.delete(condition);
    return [{ condition, on, at, detail }];
  }
}
