import { MAX_SAMPLE_GAP_MS } from '../breaks/engine.ts';
import { CYCLE_BAND_HZ } from '../protocol/live.ts';
import type { Condition } from '../protocol/alarms.ts';
import { ContactLoss, type ContactRule } from './contact-loss.ts';
import { WindowedTime } from './windowed-time.ts';

/** A condition turning on (with what was seen) or off. */
export interface ConditionChange {
  condition: Condition;
  on: boolean;
  at: number;
  detail: string;
}

/**
 * How long a value must hold before a condition turns on or off: no alarm on a single sample. A
 * fault is judged over a window as well as in a row, so that one which comes and goes is caught as
 * surely as one that holds; docs/alarms.md gives each rule.
 */
export const TIMING = {
  /** Out of band this much needle time within the last `outOfBandWindowMs` of needle time raises the alarm (5 s in a row is one way). */
  outOfBandMs: 5_000,
  outOfBandWindowMs: 10_000,
  /** Back inside the band, clear of its edges, this long clears it. */
  backInBandMs: 5_000,
  /** The margin inside the band that counts as "back": a rate hovering at the edge stays out. */
  bandMarginHz: 2,
  /** A handpiece offline this long during a session: a reconnect within it is no alarm. */
  offlineMs: 10_000,
  /** Online but no telemetry this long during a session: stalled. */
  silentMs: 15_000,
  /** A gap between samples up to this long is their spacing, not silence (the break engine's "gone quiet"). */
  silenceGraceMs: MAX_SAMPLE_GAP_MS,
  /** Offline, or silent, this long in all within the last `flappingWindowMs`: a link that keeps dropping... */
  flappingMs: 20_000,
  flappingWindowMs: 60_000,
  /** ...stays one alarm until the window holds less than this. */
  flappingSettledMs: 10_000,
  batteryLowPct: 15,
  batteryOkPct: 20,
  /** Battery-low clears only after this long with no reading under `batteryOkPct`: a reading that sags under load is one alarm. */
  batteryOkHoldMs: 60_000,
  /** Needles-off-plan clears at a dot with the plan's needles only once no dot was off the plan for this long. */
  needlesOkHoldMs: 30_000,
  /** The needle running this much within the last `overdueWindowMs` of a break. */
  overdueMs: 30_000,
  overdueWindowMs: 2 * 60_000,
  /** Hints and device incidents hold this long after the last one, then clear. */
  holdMs: 2 * 60_000,
} as const;

/** What offline and silent share: an outage in a row, or a flapping link. */
const FLAPPING = { flappingMs: TIMING.flappingMs, windowMs: TIMING.flappingWindowMs, settledBelowMs: TIMING.flappingSettledMs } as const;
const OFFLINE: ContactRule = { inARowMs: TIMING.offlineMs, graceMs: 0, ...FLAPPING };
const SILENCE: ContactRule = { inARowMs: TIMING.silentMs, graceMs: TIMING.silenceGraceMs, ...FLAPPING };
/** The windows' resolution: their far edge moves in steps of this much. */
const BAND_BUCKET_MS = 100;
const OVERDUE_BUCKET_MS = 1_000;

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
  /** Needle time so far: the axis the band's window runs on, so that pauses between strokes neither add nor wipe out. */
  #needleMs = 0;
  /** Needle time out of band (margin included, from an out-of-band sample until one well inside the band). */
  readonly #outOfBand = new WindowedTime(TIMING.outOfBandWindowMs, BAND_BUCKET_MS);
  #outOfBandEpisode = false;
  /** The last sample was needle time outside the well-inside part of the band. */
  #lastCounted = false;
  /** Needle time well inside the band since the last out-of-band sample. */
  #inBandMs = 0;
  #lastWellIn = false;
  #lastRunning = false;
  readonly #offline = new ContactLoss(OFFLINE);
  readonly #silence = new ContactLoss(SILENCE);
  #lastSampleAt: number | null = null;
  #online = false;
  #inSession = false;
  /** Needle time during the current break, on the clock. */
  readonly #runningOnBreak = new WindowedTime(TIMING.overdueWindowMs, OVERDUE_BUCKET_MS);
  #onBreak = false;
  /** When the current break began: needle time before it is not the break's. */
  #breakSince = 0;
  /** The last battery reading under `batteryOkPct`, and the last dot off the plan: their alarms hold a while after. */
  #batteryUnderOkAt: number | null = null;
  #offPlanAt: number | null = null;
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
      if (this.#online) this.#silence.lostAt(this.#lastSampleAt);
      else this.#offline.lostAt(at);
    }
    // Drops and silences outside a session are nobody's concern: each session counts its own.
    this.#offline.reset();
    this.#silence.reset();
    if (open) return [];
    // A session over: what it was about is over with it; what belongs to the device stays. The time counted
    // towards cycle-out-of-band and break-overdue goes too, or the next sample would raise them again.
    this.#outOfBand.clear();
    this.#outOfBandEpisode = false;
    this.#inBandMs = 0;
    this.#onBreak = false;
    this.#runningOnBreak.clear();
    this.#offPlanAt = null;
    return [...this.#on]
      .filter((c) => !DEVICE_CONDITIONS.has(c))
      .flatMap((c) => this.#set(c, false, at, 'the session ended'));
  }

  device(online: boolean, at: number): ConditionChange[] {
    this.#online = online;
    if (online) {
      this.#offline.back(at);
      this.#lastSampleAt = at;
      this.#silence.lostAt(at);
      // A link that keeps dropping stays one alarm: tick() clears it once the link holds.
      return this.#offline.settled(at) ? this.#set('device-offline', false, at, 'back online') : [];
    }
    this.#offline.lostAt(at);
    // Offline, the handpiece cannot be heard: that is the offline condition's, not silence.
    this.#silence.back(at);
    return this.#set('device-silent', false, at, 'offline instead');
  }

  sample(at: number, cycleHz: number, running: boolean, batteryPct: number | undefined): ConditionChange[] {
    const changes: ConditionChange[] = [];
    const sinceLast = Math.min(Math.max(0, at - (this.#lastSampleAt ?? at)), 1_000);
    this.#lastSampleAt = at;
    this.#silence.lostAt(at);
    if (this.#silence.settled(at)) changes.push(...this.#set('device-silent', false, at, 'telemetry again'));
    // Needle time is the time between two samples of a running needle.
    const ran = running && this.#lastRunning ? sinceLast : 0;
    this.#lastRunning = running;
    this.#needleMs += ran;

    // The band is a clinical rule: it holds while a session is open, and counts needle time only:
    // the pauses between strokes neither add to the time out of band nor wipe it out, and neither
    // does a dip back into the band: the harm adds up over the window.
    const out = this.#inSession && running && (cycleHz < CYCLE_BAND_HZ.min || cycleHz > CYCLE_BAND_HZ.max);
    const wellIn = running && cycleHz >= CYCLE_BAND_HZ.min + TIMING.bandMarginHz && cycleHz <= CYCLE_BAND_HZ.max - TIMING.bandMarginHz;
    const counted = this.#inSession && running && !wellIn;
    if (counted && this.#lastCounted && this.#outOfBandEpisode) this.#outOfBand.add(this.#needleMs - ran, this.#needleMs);
    this.#lastCounted = counted;
    if (wellIn) this.#outOfBandEpisode = false;
    if (wellIn && this.#lastWellIn) this.#inBandMs += sinceLast;
    if (running) this.#lastWellIn = wellIn;
    if (out) {
      this.#outOfBandEpisode = true;
      this.#inBandMs = 0;
      if (this.#outOfBand.within(this.#needleMs) >= TIMING.outOfBandMs) {
        changes.push(...this.#set('cycle-out-of-band', true, at, `${Math.round(cycleHz)} Hz, outside ${CYCLE_BAND_HZ.min}–${CYCLE_BAND_HZ.max} Hz`));
      }
    } else if (this.#inBandMs >= TIMING.backInBandMs) {
      // A stopped needle proves nothing: the rate must be seen back in band while working.
      changes.push(...this.#set('cycle-out-of-band', false, at, 'back in band'));
    }

    if (batteryPct !== undefined) {
      if (batteryPct < TIMING.batteryOkPct) this.#batteryUnderOkAt = at;
      if (batteryPct < TIMING.batteryLowPct) changes.push(...this.#set('battery-low', true, at, `battery at ${Math.round(batteryPct)}%`));
      else if (batteryPct >= TIMING.batteryOkPct && quietFor(this.#batteryUnderOkAt, at, TIMING.batteryOkHoldMs)) {
        changes.push(...this.#set('battery-low', false, at, 'battery charged'));
      }
    }

    if (this.#onBreak && ran > 0) this.#runningOnBreak.add(Math.max(at - ran, this.#breakSince), at);
    if (this.#onBreak && running && this.#runningOnBreak.within(at) >= TIMING.overdueMs) {
      changes.push(...this.#set('break-overdue', true, at, 'the needle runs on during the break'));
    }
    return changes;
  }

  /** A dot's needle grouping against the plan's for its region (when the plan has one). */
  needles(at: number, used: number, planned: number | undefined, region: string): ConditionChange[] {
    if (planned === undefined) return [];
    if (used !== planned) {
      this.#offPlanAt = at;
      return this.#set('needles-off-plan', true, at, `${used} needles in ${region}; the plan says ${planned}`);
    }
    // A cartridge that misreads now and then, or an operator going back and forth, is one alarm.
    if (!quietFor(this.#offPlanAt, at, TIMING.needlesOkHoldMs)) return [];
    return this.#set('needles-off-plan', false, at, `${planned} needles, as planned`);
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
    this.#breakSince = at;
    this.#runningOnBreak.clear();
    if (onBreak) return [];
    return [...this.#set('break-overdue', false, at, 'the break is over'), ...this.#set('break-violation', false, at, 'the break is over')];
  }

  /** Time passes: offline and silence are noticed (and a flapping link let go once it holds), held findings let go. */
  tick(at: number): ConditionChange[] {
    const changes: ConditionChange[] = [];
    if (this.#inSession && this.#offline.due(at)) {
      changes.push(...this.#set('device-offline', true, at, lossDetail(this.#offline, at, OFFLINE, 'offline for', 'the link keeps dropping: offline')));
    } else if (this.#online && this.#offline.settled(at)) {
      changes.push(...this.#set('device-offline', false, at, 'back online, and the link holds'));
    }
    if (this.#inSession && this.#online && this.#silence.due(at)) {
      changes.push(...this.#set('device-silent', true, at, lossDetail(this.#silence, at, SILENCE, 'no telemetry for', 'telemetry keeps stopping: silent')));
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

/** Nothing seen since `lastSeen`, or nothing for `holdMs`: a condition held after its last sighting may clear. */
function quietFor(lastSeen: number | null, at: number, holdMs: number): boolean {
  return lastSeen === null || at - lastSeen >= holdMs;
}

/** "offline for 12 s" for an outage; "the link keeps dropping: offline 21 s of the last 60 s" for a flapping link. */
function lossDetail(loss: ContactLoss, at: number, rule: ContactRule, outage: string, flapping: string): string {
  const s = (ms: number) => Math.round(ms / 1000);
  const lost = loss.lostFor(at);
  return lost >= rule.inARowMs ? `${outage} ${s(lost)} s` : `${flapping} ${s(loss.lostWithin(at))} s of the last ${s(rule.windowMs)} s`;
}
