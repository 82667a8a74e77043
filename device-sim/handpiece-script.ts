import type { StandardRegion } from '../server/protocol/v1.ts';
import { boundingBox, regionAt, regionShape } from '../server/scalp/regions.ts';
import { Random } from './random.ts';

export type ScriptEvent =
  | { kind: 'tel'; at: number; cycleHz: number; needles: number; running: boolean; batteryPct: number }
  | {
      kind: 'dot';
      at: number;
      region: StandardRegion;
      x: number;
      y: number;
      cycles: number;
      dwellMs: number;
      needles: number;
    };

export interface ScriptOptions {
  seed: number;
  /** Virtual time of the first event (ms epoch). */
  startAt: number;
  /** Telemetry samples per second. */
  telHz: number;
}

/** The order an operator works the scalp in, and the needle grouping for each region. */
const WORK_ORDER: ReadonlyArray<{ region: StandardRegion; needles: number }> = [
  { region: 'hairline', needles: 1 },
  { region: 'temporal-left', needles: 1 },
  { region: 'temporal-right', needles: 1 },
  { region: 'frontal', needles: 3 },
  { region: 'midscalp', needles: 3 },
  { region: 'parietal-left', needles: 3 },
  { region: 'parietal-right', needles: 3 },
  { region: 'crown', needles: 5 },
  { region: 'occipital', needles: 3 },
];

const BAND_CENTRE_HZ = 125;

/**
 * A simulated handpiece in the hands of a steady operator, as a pure, seeded stream of events:
 * strokes of 1–4 s that place 1–4 dots a second, short pauses between them and now and then a
 * longer one, moving through the scalp regions with the needle grouping each calls for.
 * Nothing here reads a clock or touches a socket; the driver asks for events up to a time.
 */
export class HandpieceScript {
  readonly #random: Random;
  readonly #telEveryMs: number;
  #nextTelAt: number;
  #nextDotAt = Infinity;
  #phaseEndsAt: number;
  #stroking = false;
  #cycleHz = BAND_CENTRE_HZ;
  #battery = 100;
  #step = 0;
  #dotsLeftInRegion: number;
  #now: number;

  constructor(options: ScriptOptions) {
    this.#random = new Random(options.seed);
    this.#telEveryMs = 1000 / options.telHz;
    this.#nextTelAt = options.startAt;
    this.#now = options.startAt;
    this.#phaseEndsAt = options.startAt + this.#random.between(500, 2000);
    this.#dotsLeftInRegion = this.#random.int(150, 400);
  }

  get region(): StandardRegion {
    return WORK_ORDER[this.#step % WORK_ORDER.length]!.region;
  }

  get needles(): number {
    return WORK_ORDER[this.#step % WORK_ORDER.length]!.needles;
  }

  /** The operator moved to `region` (selected on the tablet): work there next. */
  workOn(region: string): void {
    const step = WORK_ORDER.findIndex((w) => w.region === region);
    if (step < 0 || step === this.#step % WORK_ORDER.length) return;
    this.#step = step;
    this.#dotsLeftInRegion = this.#random.int(150, 400);
  }

  /** Everything that happens up to `until`. An inhibited handpiece does not fire. */
  advance(until: number, inhibited: boolean): ScriptEvent[] {
    const events: ScriptEvent[] = [];
    // An inhibit stops the needle mid-stroke.
    if (inhibited && this.#stroking) this.#switchPhase(this.#now, inhibited);
    for (;;) {
      const next = Math.min(this.#nextTelAt, this.#nextDotAt, this.#phaseEndsAt);
      if (next > until) {
        this.#now = until;
        return events;
      }
      if (next === this.#phaseEndsAt) this.#switchPhase(next, inhibited);
      else if (next === this.#nextDotAt) events.push(this.#dot(next));
      else events.push(this.#tel(next));
    }
  }

  #switchPhase(at: number, inhibited: boolean): void {
    const r = this.#random;
    this.#stroking = !this.#stroking && !inhibited;
    if (this.#stroking) {
      this.#phaseEndsAt = at + r.between(1000, 4000);
      this.#nextDotAt = at + this.#dotGap();
    } else {
      // Mostly a breath between strokes; sometimes wiping, repositioning, a word with the patient.
      this.#phaseEndsAt = at + (r.chance(0.08) ? r.between(10_000, 40_000) : r.between(500, 3000));
      this.#nextDotAt = Infinity;
    }
  }

  #dotGap(): number {
    return 1000 / this.#random.between(1, 4);
  }

  #tel(at: number): ScriptEvent {
    const r = this.#random;
    // A slow random walk pulled back towards the centre of the 100–150 Hz band.
    this.#cycleHz += r.normal(0, 0.6) + (BAND_CENTRE_HZ - this.#cycleHz) * 0.02;
    this.#cycleHz = Math.min(145, Math.max(105, this.#cycleHz));
    if (this.#stroking) this.#battery -= 0.002;
    if (this.#battery < 15) this.#battery = 100; // the operator swaps the battery
    this.#nextTelAt = at + this.#telEveryMs;
    return {
      kind: 'tel',
      at,
      cycleHz: this.#stroking ? round1(this.#cycleHz) : 0,
      needles: this.needles,
      running: this.#stroking,
      batteryPct: Math.round(this.#battery),
    };
  }

  #dot(at: number): ScriptEvent {
    const r = this.#random;
    const region = this.region;
    const needles = this.needles;
    const { x, y } = this.#pointIn(region);
    const dwellMs = Math.round(Math.min(400, Math.max(60, r.normal(150, 30))));
    this.#nextDotAt = at + this.#dotGap();
    if (--this.#dotsLeftInRegion <= 0) {
      this.#step += 1;
      this.#dotsLeftInRegion = r.int(150, 400);
    }
    return { kind: 'dot', at, region, x, y, dwellMs, needles, cycles: Math.max(1, Math.round((this.#cycleHz * dwellMs) / 1000)) };
  }

  #pointIn(region: StandardRegion): { x: number; y: number } {
    const { x0, y0, x1, y1 } = boundingBox(regionShape(region).polygon);
    for (;;) {
      // Rounded first, so that a point on a shared edge is judged where it will be reported.
      const x = round4(this.#random.between(x0, x1));
      const y = round4(this.#random.between(y0, y1));
      if (regionAt(x, y) === region) return { x, y };
    }
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
