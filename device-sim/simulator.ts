import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DEVICE_PATH, type InhibitMessage, type ServerMessage } from '../server/protocol/v1.ts';
import { StippleApi } from './api-client.ts';
import { DeviceClient, RECONNECT_INITIAL_MS, RECONNECT_MAX_MS, type ConnectionState, type DeviceClientOptions, type DeviceData } from './device-client.ts';
import { regionTargets } from '../server/plans/plan-math.ts';
import { skinHand, tiringHand, type HandCourse } from './hand-course.ts';
import { HandpieceScript, SCRIPT_FAULTS, type PlannedRegion, type ScriptEvent, type ScriptFault } from './handpiece-script.ts';
import { FileOutbox, MemoryOutbox } from './outbox.ts';

/**
 * steady: an operator who stops when told; ignores-breaks: one who fires on through breaks (the
 * handpiece of a careless operator, or one that does not obey inhibit); natural-pauses: one who
 * rests three minutes after every twenty of needle work, before any break is enforced; tiring: one
 * whose hand tires from two to four hours in (device-sim/hand-course.ts); region-change: one whose
 * dwell and pace change with the skin the plan says each region has, not with fatigue.
 * Fault scenarios, one per alarm condition: disconnect (20 s out of range every two minutes),
 * stall (connected, but silent 30 s every two minutes), seq-gaps (a message lost now and then),
 * malformed (a broken message now and then), over-density (a quarter past each region's target),
 * and the handpiece faults of SCRIPT_FAULTS.
 * Faults that come and go (docs/alarms.md): flapping-link (8 s out of range every 20 s),
 * intermittent-stall (silent 12 s every 20 s), gap-bursts (a message in three lost for 5 s every
 * 90 s), idles-through-breaks (a handpiece that does not obey a break's inhibit, run in strokes off
 * the skin, placing no dots), and the intermittent faults of SCRIPT_FAULTS.
 */
export const SCENARIOS = [
  'steady', 'tiring', 'region-change', 'ignores-breaks', 'natural-pauses', 'disconnect', 'stall', 'seq-gaps', 'malformed', 'over-density',
  'flapping-link', 'intermittent-stall', 'gap-bursts', 'idles-through-breaks', ...SCRIPT_FAULTS,
] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** A part of every round of virtual time: `fromMs` to `toMs` into each `everyMs`. */
interface Round {
  everyMs: number;
  fromMs: number;
  toMs: number;
}
const inRound = (elapsed: number, { everyMs, fromMs, toMs }: Round) => elapsed % everyMs >= fromMs && elapsed % everyMs < toMs;
/**
 * A handpiece's reconnect backoff on the simulated clock: at 60× its first quarter second is 4 ms.
 * In real time it would stretch every drop by up to 15 clinic seconds, and a link that drops for
 * 8 s would look like an outage.
 */
const backoffAt = (speed: number) => ({ initialMs: RECONNECT_INITIAL_MS / speed, maxMs: RECONNECT_MAX_MS / speed });

/** The handpiece out of range: dropped `atMs` into each round, away for `awayMs`, then reconnecting as it does. */
const DROPS: Partial<Record<Scenario, { everyMs: number; atMs: number; awayMs: number }>> = {
  disconnect: { everyMs: 120_000, atMs: 30_000, awayMs: 20_000 },
  'flapping-link': { everyMs: 20_000, atMs: 12_000, awayMs: 8_000 },
};
/** Connected, but what the handpiece makes in the round is never sent. */
const STALLS: Partial<Record<Scenario, Round>> = {
  stall: { everyMs: 120_000, fromMs: 60_000, toMs: 90_000 },
  'intermittent-stall': { everyMs: 20_000, fromMs: 8_000, toMs: 20_000 },
};
/** gap-bursts: a message in three lost during the round. */
const GAP_BURST: Round = { everyMs: 90_000, fromMs: 30_000, toMs: 35_000 };

export interface SimulatorOptions {
  /** The edge server, e.g. https://stipple-box.local:8443 (or http://localhost:8080 on the box itself) */
  serverUrl: string;
  /** The clinic CA (PEM) the handpieces pin for https:// and wss://; nothing else is trusted. */
  ca?: string;
  adminToken: string;
  chairs: number;
  /** Virtual seconds per real second: 60 plays an hour in a minute. */
  speed: number;
  seed: number;
  scenario: Scenario;
  /** Telemetry samples per second per handpiece (virtual time). */
  telHz?: number;
  /** Where device credentials and outboxes live; without it they live in memory only. */
  stateDir?: string;
  /** Start a session on every chair that has none (for demos), following the patient's first plan. */
  startSessions?: boolean;
  tickMs?: number;
  /** Default: a handpiece's backoff on the simulated clock. */
  reconnect?: DeviceClientOptions['reconnect'];
  /** Real time, ms epoch. */
  now?: () => number;
  /**
   * wall (default): device timestamps are the wall clock, as a real handpiece's are. virtual: the
   * simulated time, for a server whose clock runs at the same speed (STIPPLE_TIME_SCALE).
   */
  deviceClock?: 'wall' | 'virtual';
}

export interface SimChair {
  name: string;
  chairId: string;
  client: DeviceClient;
  script: HandpieceScript;
  /** The region last selected on the chair's tablet, as the handpiece heard it. */
  selected: string | null;
  /** Dots this chair's handpiece has made (each once, whatever was resent). */
  dotsMade: number;
  /** A drop fault has taken this handpiece away in the current round. */
  away: boolean;
  /** The seq after which the seq-gaps or malformed fault strikes next. */
  nextFaultSeq: number;
  /** Every inhibit and release the handpiece was given, with the real time it arrived. */
  orders: Array<{ receivedAt: number; message: InhibitMessage | { type: 'release' } }>;
}

export interface ChairStats {
  name: string;
  state: ConnectionState;
  sent: number;
  acked: number;
  dots: number;
  inhibited: boolean;
  region: string;
}

const credentials = z.record(z.string(), z.object({ chairId: z.string(), deviceId: z.string(), token: z.string() }));
type Credentials = z.infer<typeof credentials>;

/** Simulated handpieces, one per chair, streaming to an edge server as real ones would. */
export class Simulator {
  #timer: NodeJS.Timeout | undefined;

  private constructor(
    readonly chairs: SimChair[],
    private readonly options: SimulatorOptions,
  ) {}

  static async start(options: SimulatorOptions): Promise<Simulator> {
    const now = options.now ?? Date.now;
    const api = new StippleApi(options.serverUrl, options.adminToken, options.ca);
    const deviceUrl = new URL(DEVICE_PATH, options.serverUrl.replace(/^http/, 'ws')).toString();
    const provisioned = await provision(api, options);
    const startAt = now();
    const chairs = provisioned.map(({ name, chairId, deviceId, token }, i) => {
      const outbox = options.stateDir ? new FileOutbox(join(options.stateDir, `${deviceId}.outbox.jsonl`)) : new MemoryOutbox();
      const orders: SimChair['orders'] = [];
      const onMessage = (message: ServerMessage) => {
        if (message.type === 'inhibit' || message.type === 'release') orders.push({ receivedAt: now(), message });
      };
      const client = new DeviceClient({ url: deviceUrl, ca: options.ca, deviceId, token, fw: 'stipple-sim/1', outbox, reconnect: options.reconnect ?? backoffAt(options.speed), onMessage });
      const seed = options.seed * 1000 + i + 1;
      const script = new HandpieceScript({
        seed, startAt, telHz: options.telHz ?? 10,
        restEvery: options.scenario === 'natural-pauses' ? { workMs: 20 * 60_000, pauseMs: 3 * 60_000 } : undefined,
        fault: isScriptFault(options.scenario) ? options.scenario : undefined,
        hand: handOf(options.scenario, seed, startAt),
      });
      return { name, chairId, client, script, selected: null, dotsMade: 0, orders, away: false, nextFaultSeq: 100 };
    });
    const simulator = new Simulator(chairs, options);
    for (const chair of chairs) chair.client.start();
    // Handpieces on line first, then sessions: a session must not open on a handpiece not yet there.
    const deadline = Date.now() + 5_000;
    while (options.startSessions && chairs.some((c) => c.client.state !== 'open') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (const [i, chair] of chairs.entries()) {
      const plan = await sessionPlan(api, await openSession(api, options, chair.chairId, i + 1));
      if (plan) chair.script.followPlan(options.scenario === 'over-density' ? overshoot(plan.regions) : plan.regions, plan.done);
    }
    simulator.#run(startAt, now);
    return simulator;
  }

  stats(): ChairStats[] {
    return this.chairs.map(({ name, client, script, dotsMade }) => ({
      name,
      state: client.state,
      sent: client.sentSeq,
      acked: client.ackedSeq,
      dots: dotsMade,
      inhibited: client.inhibit !== null,
      region: script.region,
    }));
  }

  /** Stops making new events; the devices stay connected to deliver what they hold. */
  halt(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Resolves once every device's outbox is empty (everything acknowledged). */
  async delivered(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.chairs.some((c) => c.client.unacked > 0)) {
      if (Date.now() > deadline) throw new Error('the simulator still holds unacknowledged messages');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    this.halt();
    await Promise.all(this.chairs.map((c) => c.client.stop()));
  }

  /**
   * Plays the client-side faults of the scenario at `elapsed` virtual ms; true while the handpiece
   * is stalled (what it made in the meantime is never sent).
   */
  #fault(chair: SimChair, elapsed: number): boolean {
    const { scenario, speed } = this.options;
    const drop = DROPS[scenario];
    if (drop) {
      const due = elapsed % drop.everyMs >= drop.atMs;
      if (due && chair.client.state === 'open' && !chair.away) {
        chair.away = true;
        chair.client.dropFor(drop.awayMs / speed);
      }
      if (!due) chair.away = false;
    }
    const burst = scenario === 'gap-bursts' && inRound(elapsed, GAP_BURST);
    if ((scenario === 'seq-gaps' || scenario === 'malformed' || burst) && chair.client.sentSeq >= chair.nextFaultSeq) {
      chair.nextFaultSeq = burst ? chair.client.sentSeq + 3 : chair.nextFaultSeq + 200;
      if (scenario === 'malformed') chair.client.sendMalformed();
      else chair.client.loseNextMessage();
    }
    const stall = STALLS[scenario];
    return stall !== undefined && inRound(elapsed, stall);
  }

  #run(startAt: number, now: () => number): void {
    const { speed, tickMs = 100 } = this.options;
    this.#timer = setInterval(() => {
      const virtualNow = startAt + (now() - startAt) * speed;
      for (const chair of this.chairs) {
        if (chair.client.region !== chair.selected) {
          chair.selected = chair.client.region;
          if (chair.selected) chair.script.workOn(chair.selected);
        }
        const inhibit = chair.client.inhibit;
        const { scenario } = this.options;
        const onBreak = inhibit?.reason === 'break';
        const obeys = inhibit !== null && !(onBreak && (scenario === 'ignores-breaks' || scenario === 'idles-through-breaks'));
        const events = chair.script.advance(virtualNow, obeys, onBreak && scenario === 'idles-through-breaks');
        if (this.#fault(chair, virtualNow - startAt)) continue;
        if (events.length === 0) continue;
        chair.dotsMade += events.filter((e) => e.kind === 'dot').length;
        // The script runs in simulated time; the device clock stays a wall clock, as a real one is.
        const virtual = this.options.deviceClock === 'virtual';
        chair.client.send(events.map((e) => toMessage(e, virtual ? e.at : startAt + (e.at - startAt) / speed)));
      }
    }, tickMs);
  }
}

function toMessage(event: ScriptEvent, deviceTime: number): DeviceData {
  const ts = Math.round(deviceTime);
  if (event.kind === 'tel') {
    const { cycleHz, needles, running, batteryPct } = event;
    return { type: 'tel', ts, cycleHz, needles, running, batteryPct };
  }
  const { region, x, y, cycles, dwellMs, needles } = event;
  return { type: 'dot', ts, region, x, y, cycles, dwellMs, needles };
}

function handOf(scenario: Scenario, seed: number, startAt: number): HandCourse | undefined {
  if (scenario === 'tiring') return tiringHand(seed, startAt).course;
  return scenario === 'region-change' ? skinHand : undefined;
}

function isScriptFault(scenario: Scenario): scenario is ScriptFault {
  return (SCRIPT_FAULTS as readonly string[]).includes(scenario);
}

/** An operator who does not stop at the target: a quarter more dots in every region. */
function overshoot(regions: Record<string, PlannedRegion>): Record<string, PlannedRegion> {
  return Object.fromEntries(Object.entries(regions).map(([id, r]) => [id, { ...r, target: Math.ceil(r.target * 1.25) }]));
}

/** The chair's open session; with `startSessions`, one is opened for a demo patient with their first plan. */
async function openSession(api: StippleApi, options: SimulatorOptions, chairId: string, n: number): Promise<string | undefined> {
  const open = (await api.chairs()).find((c) => c.id === chairId)?.session?.id;
  if (open || !options.startSessions) return open;
  const patientRef = `DEMO-${String(n).padStart(3, '0')}`;
  const treatment = (await api.treatments(patientRef))[0] ?? (await api.createTreatment({ patientRef, sessions: 3 }));
  return (await api.startSession({ chairId, operatorId: `op-${n}`, patientRef, planId: treatment.plans[0]!.id })).id;
}

/** The plan a session follows, as the simulated operator works to it, and what the session holds already. */
async function sessionPlan(api: StippleApi, sessionId: string | undefined) {
  if (!sessionId) return undefined;
  const session = await api.session(sessionId);
  if (!session.planId) return undefined;
  const plan = await api.plan(session.planId);
  const targets = regionTargets(plan.regions);
  const regions: Record<string, PlannedRegion> = {};
  for (const [id, r] of Object.entries(plan.regions)) regions[id] = { target: targets[id]!, needles: r.needles, skin: r.skin, outline: r.outline };
  return { regions, done: session.dots.byRegion };
}

/** Finds or creates "Chair 1…N", pairs a handpiece to each (reusing saved credentials), starts sessions. */
async function provision(api: StippleApi, options: SimulatorOptions) {
  const { stateDir } = options;
  const file = stateDir ? join(stateDir, 'devices.json') : undefined;
  const saved: Credentials = file && existsSync(file) ? credentials.parse(JSON.parse(readFileSync(file, 'utf8'))) : {};
  const chairs = await api.chairs();
  const knownDevices = new Set((await api.devices()).map((d) => d.id));
  const result = [];
  for (let i = 1; i <= options.chairs; i++) {
    const name = `Chair ${i}`;
    const existing = chairs.find((c) => c.name === name);
    const chairId = existing?.id ?? (await api.createChair(name)).id;
    let device = saved[name];
    if (!device || device.chairId !== chairId || !knownDevices.has(device.deviceId)) {
      const paired = await api.pairDevice(chairId, `Handpiece ${i}`);
      device = { chairId, deviceId: paired.id, token: paired.token };
      saved[name] = device;
    }
    result.push({ name, ...device });
  }
  if (stateDir && file) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(file, JSON.stringify(saved, null, 2));
    chmodSync(file, 0o600); // device tokens: the handpieces' own secrets
  }
  return result;
}
