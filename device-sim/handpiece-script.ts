import { CYCLE_BAND_HZ } from '../server/protocol/live.ts';
import type { SkinCondition } from '../server/protocol/plan.ts';
import type { StandardRegion } from '../server/protocol/v1.ts';
import { boundingBox, insidePolygon, isOnScalp, regionAt, regionShape, type RegionShape } from '../server/scalp/regions.ts';
import { STEADY_HAND, type HandCourse, type HandStyle } from './hand-course.ts';
import { Random } from './random.ts';

export type ScriptEvent =
  | { kind: 'tel'; at: number; cycleHz: number; needles: number; running: boolean; batteryPct: number }
  | {
      kind: 'dot';
      at: number;
      region: string;
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
  /** An operator who rests on their own: a pause of `pauseMs` after every `workMs` of needle time. */
  restEvery?: { workMs: number; pauseMs: number } | undefined;
  /** Something wrong with the handpiece or the hand holding it. */
  fault?: ScriptFault | undefined;
  /** How the hand's work changes over the session or with the skin; steady without it. */
  hand?: HandCourse | undefined;
}

/**
 * drift: the cycle rate creeps up out of the band and stays there; band-edge: it hovers at the
 * band's upper edge; battery-drain: the battery runs down fast and is never swapped;
 * wrong-needles: two needles more than the region calls for; overwork: every 40th dot is worked
 * four times as long.
 * Faults that come and go: intermittent-drift: 2 s of needle time at 170 Hz, then a quarter second
 * back at 125 Hz (at least one sample of it), over and over; battery-flicker: a worn cell that reads
 * 21% at rest and sags to 13% under load; needles-flicker: a cartridge that seats badly, every fifth
 * dot reporting two needles more.
 */
export const SCRIPT_FAULTS = [
  'drift', 'band-edge', 'battery-drain', 'wrong-needles', 'overwork', 'intermittent-drift', 'battery-flicker', 'needles-flicker',
] as const;
export type ScriptFault = (typeof SCRIPT_FAULTS)[number];

/** What the plan asks of a region, as far as the handpiece's operator follows it. */
export interface PlannedRegion {
  target: number;
  needles: number;
  skin?: SkinCondition | undefined;
  outline?: RegionShape['polygon'] | undefined;
}

interface WorkItem {
  region: string;
  needles: number;
  skin: SkinCondition;
  /** Where dots of this region may go. */
  contains: (x: number, y: number) => boolean;
  box: { x0: number; y0: number; x1: number; y1: number };
  left: number;
  /** The plan's target for the region; 0 without a plan. */
  target: number;
  /** Position in the region's low-discrepancy sequence, and its random shift. */
  next: number;
  shift: [number, number];
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
/** intermittent-drift: needle time out of band, then back in it, per round. */
const DRIFT_OUT = { ms: 2_000, hz: 170 } as const;
const DRIFT_BACK_MS = 250;
/** battery-flicker: the worn cell's reading at rest, and how far it sags under load. */
const WORN_CELL = { restPct: 21, sagPct: 8 } as const;

/**
 * A simulated handpiece in the hands of a steady operator, as a pure, seeded stream of events:
 * strokes of 1–4 s that place 1–4 dots a second, short pauses between them and a longer one to
 * wipe the skin every 8–16 strokes, moving through the scalp regions with the needle grouping each calls for.
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
  #work: WorkItem[];
  /** Following a plan, the work ends when every region has its dots; without one it goes round. */
  #planned = false;
  #now: number;
  readonly #restEvery: ScriptOptions['restEvery'];
  readonly #fault: ScriptFault | undefined;
  /** Where the cycle-rate walk is pulled to: the band's centre, unless a fault moves it. */
  #centreHz = BAND_CENTRE_HZ;
  #dotsMade = 0;
  /** Needle time into the intermittent-drift rounds. */
  #driftMs = 0;
  /** The needle runs off the skin: strokes, but no dots. */
  #offSkin = false;
  /** Needle time since the operator's own last rest. */
  #workedMs = 0;
  #strokeStartedAt = 0;
  #strokesToWipe = 12;
  readonly #hand: HandCourse;
  /** The hand as it works the current stroke or pause. */
  #style: HandStyle = STEADY_HAND;

  constructor(options: ScriptOptions) {
    this.#hand = options.hand ?? (() => STEADY_HAND);
    this.#restEvery = options.restEvery;
    this.#fault = options.fault;
    this.#random = new Random(options.seed);
    this.#telEveryMs = 1000 / options.telHz;
    this.#nextTelAt = options.startAt;
    this.#now = options.startAt;
    this.#phaseEndsAt = options.startAt + this.#random.between(500, 2000);
    this.#work = WORK_ORDER.map(({ region, needles }) => standardItem(region, needles, this.#random.int(150, 400), this.#random));
  }

  get region(): string {
    return this.#current?.region ?? this.#work.at(-1)!.region;
  }

  get needles(): number {
    return this.#current?.needles ?? this.#work.at(-1)!.needles;
  }

  /** True once a plan's every region has its dots. */
  get finished(): boolean {
    return this.#current === undefined;
  }

  get #current(): WorkItem | undefined {
    return this.#work[this.#step];
  }

  /**
   * Work to a session plan from here on: each region in turn until it has its target, with the
   * plan's needles. `done` is what the session already holds (a restart picks up where it was).
   */
  followPlan(regions: Readonly<Record<string, PlannedRegion>>, done: Readonly<Record<string, number>> = {}): void {
    const left = (id: string, target: number) => Math.max(0, target - (done[id] ?? 0));
    const standard = WORK_ORDER.flatMap(({ region }) => {
      const plan = regions[region];
      return plan ? [{ ...standardItem(region, plan.needles, left(region, plan.target), this.#random), target: plan.target, skin: plan.skin ?? 'normal' }] : [];
    });
    const scars = Object.entries(regions).flatMap(([id, plan]) =>
      plan.outline
        ? [{ ...scarItem(id, plan.outline, plan.needles, left(id, plan.target), this.#random), target: plan.target, skin: plan.skin ?? 'scar' }]
        : [],
    );
    this.#work = [...standard, ...scars];
    this.#planned = true;
    this.#step = 0;
    this.#skipDone();
  }

  /**
   * The operator moved to `region` (selected on the tablet): work there next. Back in a region the
   * plan has filled, they touch it up: a sixth more dots, which takes it over its target.
   */
  workOn(region: string): void {
    const step = this.#work.findIndex((w) => w.region === region);
    if (step < 0 || step === this.#step) return;
    this.#step = step;
    const item = this.#work[step]!;
    if (item.left === 0) item.left = this.#planned ? Math.max(20, Math.ceil(item.target / 6)) : this.#random.int(150, 400);
  }

  /**
   * Everything that happens up to `until`. An inhibited handpiece does not fire; one run `offSkin`
   * (tried, cleaned) strokes as usual but places no dots.
   */
  advance(until: number, inhibited: boolean, offSkin = false): ScriptEvent[] {
    const events: ScriptEvent[] = [];
    // An inhibit stops the needle mid-stroke; lifted off the skin, it places no more dots.
    if (inhibited && this.#stroking) this.#switchPhase(this.#now, inhibited);
    this.#offSkin = offSkin;
    if (offSkin) this.#nextDotAt = Infinity;
    for (;;) {
      const next = Math.min(this.#nextTelAt, this.#nextDotAt, this.#phaseEndsAt);
      if (next > until) {
        this.#now = until;
        return events;
      }
      if (next === this.#phaseEndsAt) this.#switchPhase(next, inhibited);
      else if (next === this.#nextDotAt) {
        const dot = this.#dot(next);
        if (dot) events.push(dot);
        else this.#nextDotAt = Infinity;
      }
      else events.push(this.#tel(next));
    }
  }

  #switchPhase(at: number, inhibited: boolean): void {
    const r = this.#random;
    // The needle rests while inhibited, and for good once the plan's work is done.
    const wasStroking = this.#stroking;
    this.#stroking = !this.#stroking && !inhibited && !this.finished;
    if (wasStroking) this.#workedMs += at - this.#strokeStartedAt;
    if (this.#stroking) this.#strokeStartedAt = at;
    this.#style = this.#hand(at, this.#current?.skin ?? 'normal');
    if (!this.#stroking && this.#restEvery && this.#workedMs >= this.#restEvery.workMs) {
      this.#workedMs = 0;
      this.#phaseEndsAt = at + this.#restEvery.pauseMs;
      this.#nextDotAt = Infinity;
      return;
    }
    if (this.#stroking) {
      this.#phaseEndsAt = at + r.between(1000, 4000);
      this.#nextDotAt = this.#offSkin ? Infinity : at + this.#dotGap();
    } else {
      // A breath between strokes; every dozen strokes or so a wipe of the skin, a reposition, a word with the patient.
      const wipe = --this.#strokesToWipe <= 0;
      if (wipe) this.#strokesToWipe = r.int(8, 16);
      this.#phaseEndsAt = at + this.#style.pause * (wipe ? r.between(5_000, 20_000) : r.between(500, 3000));
      this.#nextDotAt = Infinity;
    }
  }

  #dotGap(): number {
    return (this.#style.dotGap * 1000) / this.#random.between(1, 4);
  }

  #tel(at: number): ScriptEvent {
    const r = this.#random;
    // A slow random walk pulled back towards the centre of the 100–150 Hz band (or where a fault moves it).
    if (this.#fault === 'drift') this.#centreHz = Math.min(165, this.#centreHz + 0.05);
    if (this.#fault === 'band-edge') this.#centreHz = CYCLE_BAND_HZ.max;
    if (this.#fault === 'intermittent-drift' && this.#stroking) {
      // The dip lasts a quarter second, or one sample when they come further apart, so that it is seen.
      const back = Math.max(DRIFT_BACK_MS, this.#telEveryMs);
      this.#centreHz = this.#cycleHz = this.#driftMs % (DRIFT_OUT.ms + back) < DRIFT_OUT.ms ? DRIFT_OUT.hz : BAND_CENTRE_HZ;
      this.#driftMs += this.#telEveryMs;
    }
    this.#cycleHz += r.normal(0, 0.6) + (this.#centreHz - this.#cycleHz) * 0.02;
    this.#cycleHz = Math.min(this.#centreHz + 20, Math.max(this.#centreHz - 20, this.#cycleHz));
    if (this.#stroking) this.#battery -= this.#fault === 'battery-drain' ? 0.5 : 0.002;
    if (this.#fault === 'battery-drain') this.#battery = Math.max(3, this.#battery);
    else if (this.#fault === 'battery-flicker') this.#battery = WORN_CELL.restPct;
    else if (this.#battery < 15) this.#battery = 100; // the operator swaps the battery
    const sag = this.#fault === 'battery-flicker' && this.#stroking ? WORN_CELL.sagPct : 0;
    this.#nextTelAt = at + this.#telEveryMs;
    return {
      kind: 'tel',
      at,
      cycleHz: this.#stroking ? round1(this.#cycleHz) : 0,
      needles: this.#needlesUsed(this.needles, false),
      running: this.#stroking,
      batteryPct: Math.round(this.#battery - sag),
    };
  }

  #dot(at: number): ScriptEvent | undefined {
    const r = this.#random;
    const item = this.#current;
    if (!item) return undefined;
    const { x, y } = this.#pointIn(item);
    this.#dotsMade += 1;
    const worked = this.#fault === 'overwork' && this.#dotsMade % 40 === 0 ? 4 : 1;
    const misread = this.#fault === 'needles-flicker' && this.#dotsMade % 5 === 0;
    const { dwellMean, dwellSd } = this.#style;
    const dwellMs = worked * Math.round(Math.min(400, Math.max(60, dwellMean * 150 + dwellSd * r.normal(0, 30))));
    this.#nextDotAt = at + this.#dotGap();
    if (--item.left <= 0) {
      this.#step += 1;
      if (!this.#planned && this.#step === this.#work.length) {
        this.#step = 0;
        for (const w of this.#work) w.left = r.int(150, 400);
      }
      this.#skipDone();
    }
    const cycles = Math.max(1, Math.round((this.#cycleHz * dwellMs) / 1000));
    return { kind: 'dot', at, region: item.region, x, y, dwellMs, needles: this.#needlesUsed(item.needles, misread), cycles };
  }

  #needlesUsed(called: number, misread: boolean): number {
    return this.#fault === 'wrong-needles' || misread ? Math.min(6, called + 2) : called;
  }

  #skipDone(): void {
    while (this.#current && this.#current.left <= 0) this.#step += 1;
  }

  /**
   * Operators stipple systematically, filling the gaps between earlier dots rather than at random:
   * a shifted Halton sequence spreads the dots as evenly.
   */
  #pointIn(item: WorkItem): { x: number; y: number } {
    const { x0, y0, x1, y1 } = item.box;
    for (;;) {
      item.next += 1;
      // Rounded first, so that a point on a shared edge is judged where it will be reported.
      const x = round4(x0 + (x1 - x0) * ((halton(item.next, 2) + item.shift[0]) % 1));
      const y = round4(y0 + (y1 - y0) * ((halton(item.next, 3) + item.shift[1]) % 1));
      if (item.contains(x, y)) return { x, y };
    }
  }
}

function standardItem(region: StandardRegion, needles: number, left: number, random: Random): WorkItem {
  const contains = (x: number, y: number) => regionAt(x, y) === region;
  return { region, needles, skin: 'normal', left, target: 0, box: boundingBox(regionShape(region).polygon), contains, next: 0, shift: [random.float(), random.float()] };
}

function scarItem(region: string, outline: RegionShape['polygon'], needles: number, left: number, random: Random): WorkItem {
  const contains = (x: number, y: number) => isOnScalp(x, y) && insidePolygon(x, y, outline);
  return { region, needles, skin: 'scar', left, target: 0, box: boundingBox(outline), contains, next: 0, shift: [random.float(), random.float()] };
}

/** The index-th number of the van der Corput sequence in `base`, in [0, 1). */
function halton(index: number, base: number): number {
  let result = 0;
  let f = 1 / base;
  for (let i = index; i > 0; i = Math.floor(i / base), f /= base) result += f * (i % base);
  return result;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
