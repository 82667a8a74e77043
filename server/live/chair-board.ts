import type { AlarmService } from '../alarms/alarm-service.ts';
import type { BreakService } from '../breaks/break-service.ts';
import type { Clock } from '../clock.ts';
import type { CoverageTracker } from '../coverage/tracker.ts';
import type { CoverageTally } from '../coverage/tally.ts';
import type { OutlookService } from '../outlook/outlook-service.ts';
import type { DeviceRegistry } from '../ingest/device-registry.ts';
import type { CellCounts, LiveChair, LivePlan } from '../protocol/live.ts';
import type { Store } from '../store/index.ts';
import { chairStateOf, RUNNING_FRESH_MS } from './chair-state.ts';
import type { LiveHub, LiveSample } from './hub.ts';
import { RateSeries } from './rate-series.ts';

/** How much cycle-rate history a chair keeps in memory for its chart. */
export const SERIES_WINDOW_MS = 3 * 60_000;

export type BoardChange =
  | { kind: 'chair'; chairId: string }
  | { kind: 'sample'; chairId: string; point: [number, number] }
  | { kind: 'cells'; chairId: string; sessionId: string; cells: number[] }
  /** The chair's session began or ended: whoever draws its grid starts again from a snapshot. */
  | { kind: 'reset'; chairId: string };

/**
 * What every chair looks like right now, kept in memory from the hub's events so that a browser's
 * snapshot never touches the database, plus the last minutes of cycle rate for the charts.
 */
export class ChairBoard {
  readonly #chairs = new Map<string, LiveChair>();
  readonly #series = new Map<string, RateSeries>();
  /** Plans of open sessions as browsers get them, made once per plan version. */
  readonly #plans = new Map<string, LivePlan>();
  readonly #listeners = new Set<(change: BoardChange) => void>();

  constructor(
    private readonly store: Store,
    private readonly registry: DeviceRegistry,
    private readonly clock: Clock,
    hub: LiveHub,
    private readonly coverage: CoverageTracker,
    private readonly breaks: Pick<BreakService, 'view'>,
    private readonly alarms: Pick<AlarmService, 'forChair'>,
    private readonly outlook: Pick<OutlookService, 'view'>,
  ) {
    for (const chair of store.chairs.list()) this.#load(chair.id);
    hub.on('setup', ({ chairId }) => this.#load(chairId));
    hub.on('sample', (sample) => this.#sample(sample));
    hub.on('dots', ({ chairId, dots }) => this.#update(chairId, (chair) => (chair.currentRegion = dots.at(-1)!.region)));
    hub.on('device', ({ chairId, deviceId, online, at }) =>
      this.#update(chairId, (chair) => {
        if (chair.device?.id !== deviceId) return;
        chair.device.online = online;
        chair.device.lastSeenAt = at;
      }),
    );
    hub.on('session', ({ session }) => {
      this.#update(session.chairId, (chair) => {
        chair.session = this.#liveSession(session.chairId);
        chair.lastSessionId = this.#lastEnded(session.chairId);
      });
      this.#forgetUnfollowedPlans();
      this.#emit({ kind: 'reset', chairId: session.chairId });
    });
    hub.on('handover', ({ session }) => this.#update(session.chairId, (chair) => (chair.session = this.#liveSession(session.chairId))));
    // An edited plan: the chairs following it are marked changed, so that browsers fetch it anew.
    hub.on('plan', ({ planId }) => {
      this.#plans.delete(planId);
      for (const chair of this.#chairs.values()) if (chair.session?.planId === planId) this.#update(chair.id, () => {});
    });
    hub.on('guidance', (event) =>
      this.#update(event.chairId, (chair) => {
        if (chair.session?.id === event.sessionId) chair.session.guidance = this.coverage.forChair(event.chairId)?.guidance ?? [];
      }),
    );
    // The session's counts, as the coverage tracker has them after counting the new dots.
    hub.on('coverage', ({ chairId, sessionId, cells }) => {
      this.#update(chairId, (chair) => {
        const done = this.coverage.forChair(chairId)?.done;
        if (chair.session?.id === sessionId && done) chair.session.dots = { total: done.total, byRegion: Object.fromEntries(done.regions) };
      });
      if (cells.length > 0) this.#emit({ kind: 'cells', chairId, sessionId, cells });
    });
    hub.on('alarm', ({ chairId }) => this.#emit({ kind: 'chair', chairId }));
    hub.on('outlook', ({ chairId }) => this.#emit({ kind: 'chair', chairId }));
    hub.on('break', ({ operatorId }) => {
      for (const chair of this.#chairs.values()) if (chair.session?.operatorId === operatorId) this.#emit({ kind: 'chair', chairId: chair.id });
    });
    hub.on('region', ({ chairId, region }) =>
      this.#update(chairId, (chair) => {
        chair.selectedRegion = region;
        chair.currentRegion = region;
      }),
    );
  }

  /** Listens to every change; returns the function that stops listening. */
  onChange(listener: (change: BoardChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A chair as it is now: its state and its operator's breaks are worked out at the moment of asking. */
  chair(id: string): LiveChair | undefined {
    const chair = this.#chairs.get(id);
    if (!chair) return undefined;
    const session = chair.session && { ...chair.session, fatigue: this.breaks.view(chair.session.operatorId), outlook: this.outlook.view(id) };
    // Freshness is real time: on an accelerated clock a sample ages faster.
    return {
      ...chair,
      session,
      alarms: this.alarms.forChair(id),
      state: chairStateOf(chair, this.clock.now(), RUNNING_FRESH_MS * this.clock.scale),
    };
  }

  chairs(): LiveChair[] {
    return [...this.#chairs.keys()].map((id) => this.chair(id)!);
  }

  series(id: string): Array<[number, number]> {
    return this.#series.get(id)?.points() ?? [];
  }

  #load(chairId: string): void {
    const chair = this.store.chairs.get(chairId);
    if (!chair) return;
    const device = this.store.devices.active(chairId);
    const previous = this.#chairs.get(chairId);
    const live: LiveChair = {
      id: chair.id,
      name: chair.name,
      state: 'idle',
      selectedRegion: chair.selectedRegion,
      currentRegion: previous?.currentRegion ?? chair.selectedRegion,
      lastSessionId: this.#lastEnded(chairId),
      device: device
        ? { id: device.id, online: this.registry.isOnline(device.id), lastSeenAt: device.lastSeenAt, batteryPct: null }
        : null,
      session: this.#liveSession(chairId),
      sample: previous?.sample ?? null,
      lastRunning: previous?.lastRunning ?? null,
      alarms: [],
    };
    this.#chairs.set(chairId, live);
    this.#emit({ kind: 'chair', chairId });
  }

  /** The plan a chair's open session follows, with its targets. */
  plan(planId: string): LivePlan | undefined {
    let plan = this.#plans.get(planId);
    if (!plan) {
      for (const chairId of this.#chairs.keys()) {
        const coverage = this.coverage.forChair(chairId);
        if (coverage?.plan?.id === planId) plan = livePlan(coverage) ?? undefined;
        if (plan) break;
      }
      if (plan) this.#plans.set(planId, plan);
    }
    return plan;
  }

  /** Plans kept made for browsers: at most one per open session. */
  get plansHeld(): number {
    return this.#plans.size;
  }

  /** A plan no open session follows any more is made again if one does: every patient's plan would pile up here. */
  #forgetUnfollowedPlans(): void {
    const followed = new Set<string>();
    for (const chair of this.#chairs.values()) if (chair.session?.planId) followed.add(chair.session.planId);
    for (const planId of this.#plans.keys()) if (!followed.has(planId)) this.#plans.delete(planId);
  }

  /** The open session's grid and the patient's earlier sessions', as sparse counts. */
  cells(chairId: string): { session: CellCounts; earlier: CellCounts } {
    const coverage = this.coverage.forChair(chairId);
    return { session: sparse(coverage?.done), earlier: sparse(coverage?.earlier) };
  }

  /** How many dots a cell of the chair's open session holds now. */
  cellCount(chairId: string, cell: number): number {
    return this.coverage.forChair(chairId)?.done.cells[cell] ?? 0;
  }

  #lastEnded(chairId: string): string | null {
    const latest = this.store.sessions.latestEndedForChair(chairId);
    return latest?.id ?? null;
  }

  #liveSession(chairId: string): LiveChair['session'] {
    const coverage = this.coverage.forChair(chairId);
    if (!coverage) return null;
    const { session, done, earlier, guidance } = coverage;
    return {
      id: session.id,
      operatorId: session.operatorId,
      // A person's name when the operator is one of the clinic's people; an integration's own reference otherwise.
      operatorName: this.store.people.get(session.operatorId)?.name ?? session.operatorId,
      patientRef: session.patientRef,
      startedAt: session.startedAt,
      dots: { total: done.total, byRegion: Object.fromEntries(done.regions) },
      dotsBefore: Object.fromEntries(earlier.regions),
      planId: session.planId,
      guidance,
      fatigue: this.breaks.view(session.operatorId),
      outlook: this.outlook.view(chairId),
    };
  }

  #sample(sample: LiveSample): void {
    const chair = this.#chairs.get(sample.chairId);
    if (!chair) return;
    chair.sample = { at: sample.madeAt, cycleHz: sample.cycleHz, needles: sample.needles, running: sample.running };
    if (sample.running) chair.lastRunning = { at: sample.madeAt, cycleHz: sample.cycleHz };
    if (chair.device && sample.batteryPct !== undefined) chair.device.batteryPct = sample.batteryPct;
    let series = this.#series.get(sample.chairId);
    if (!series) this.#series.set(sample.chairId, (series = new RateSeries(SERIES_WINDOW_MS)));
    series.push(sample.madeAt, sample.cycleHz);
    this.#emit({ kind: 'sample', chairId: sample.chairId, point: [sample.madeAt, sample.cycleHz] });
    this.#emit({ kind: 'chair', chairId: sample.chairId });
  }

  #update(chairId: string, change: (chair: LiveChair) => void): void {
    const chair = this.#chairs.get(chairId);
    if (!chair) return;
    change(chair);
    this.#emit({ kind: 'chair', chairId });
  }

  #emit(change: BoardChange): void {
    for (const listener of this.#listeners) listener(change);
  }
}

function livePlan(coverage: ReturnType<CoverageTracker['forChair']>): LivePlan | null {
  if (!coverage?.plan || !coverage.layout) return null;
  const { plan, layout } = coverage;
  const regions: LivePlan['regions'] = {};
  for (const [id, region] of Object.entries(plan.regions)) regions[id] = { ...region, target: layout.regionTarget[id] ?? 0 };
  return { id: plan.id, updatedAt: plan.updatedAt, sessionNumber: plan.sessionNumber, sessionsPlanned: plan.sessionsPlanned, regions };
}

function sparse(tally: CoverageTally | undefined): CellCounts {
  const pairs: CellCounts = [];
  tally?.cells.forEach((n, cell) => n > 0 && pairs.push([cell, n]));
  return pairs;
}
