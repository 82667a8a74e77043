import { WebSocket } from 'ws';
import { mayUseChair, type Caller } from '../auth/roles.ts';
import { systemClock, type Clock } from '../clock.ts';
import type { Logger } from '../log.ts';
import { everyRound } from '../rounds.ts';
import type { Heartbeat } from '../sockets/heartbeat.ts';
import { liveClientMessage, type LiveChair, type LivePlan, type LiveServerMessage } from '../protocol/live.ts';
import type { ChairBoard } from './chair-board.ts';

type LiveUpdate = Extract<LiveServerMessage, { type: 'update' }>;

/** What the channel reads of the board. */
export type BoardView = Pick<ChairBoard, 'chairs' | 'chair' | 'plan' | 'series' | 'cells' | 'cellCount' | 'onChange'>;

export interface LiveChannelOptions {
  /** How often the channel looks for browsers that are due, behind or stale (only while one is connected). */
  tickMs: number;
  /**
   * A browser gets what changed (numbers, chart points, grid cells) at most this often, all at
   * once: one render on the screen per period, however many chairs changed, always the newest
   * readings. A tablet at arm's length: five a second, as often as a figure can usefully change.
   * The wall, read across the room: twice a second, in the manner of a patient monitor's numerics.
   */
  updateEveryMs: { chair: number; all: number };
  /** At most this many chairs in one update; more are spread over the period. */
  chairsPerUpdate: number;
  /** A browser with more than this waiting in its socket is behind: it gets a snapshot once it drains. */
  maxBufferedBytes: number;
}

export const defaultLiveChannel: LiveChannelOptions = { tickMs: 10, updateEveryMs: { chair: 200, all: 500 }, chairsPerUpdate: 16, maxBufferedBytes: 1 << 20 };

type Scope = { kind: 'all' } | { kind: 'chair'; chairId: string };

class LiveClient {
  scope: Scope | undefined;
  behind = false;
  /** Its chair's session began or ended: the next tick sends a whole new snapshot. */
  stale = false;
  readonly dirty = new Set<string>();
  /** Grid cells of the watched chair's session that gained dots since the last tick. */
  readonly cells = new Set<number>();
  cellsSessionId = '';
  /** When this browser's next update may go (it got its last one, or its snapshot, a period before). */
  dueAt = 0;
  readonly points: Array<[number, number]> = [];
  /** The version (updatedAt) of each plan this browser holds. */
  readonly plans = new Map<string, number>();
  /** The plan each chair this browser holds follows: a plan none follows is one the browser lets go. */
  readonly planOf = new Map<string, string | null>();

  constructor(
    readonly socket: WebSocket,
    readonly caller: Caller,
  ) {}

  sees(chairId: string): boolean {
    return this.scope?.kind === 'all' || (this.scope?.kind === 'chair' && this.scope.chairId === chairId);
  }

  send(message: LiveServerMessage): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }
}

/**
 * Browsers watching chairs. Updates are coalesced per chair and sent on a short tick, so a busy
 * handpiece does not flood a tablet; a browser that cannot keep up is skipped (never waited for)
 * and resynchronised from a snapshot when its socket drains.
 */
export class LiveChannel {
  readonly #clients = new Set<LiveClient>();
  #snapshots = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #stopListening: () => void;

  constructor(
    private readonly board: BoardView,
    private readonly options: LiveChannelOptions,
    private readonly heartbeat: Heartbeat,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
    /** The clinic's audible-alarm setting, read at each snapshot. */
    private readonly audible: () => boolean = () => true,
  ) {
    this.#stopListening = board.onChange((change) => {
      for (const client of this.#clients) {
        if (!client.sees(change.chairId) || client.behind) continue;
        if (change.kind === 'chair') client.dirty.add(change.chairId);
        else if (client.scope?.kind !== 'chair') continue;
        else if (change.kind === 'sample') client.points.push(change.point);
        else if (change.kind === 'reset') client.stale = true;
        else {
          client.cellsSessionId = change.sessionId;
          for (const cell of change.cells) client.cells.add(cell);
        }
      }
    });
  }

  accept(socket: WebSocket, caller: Caller): { receive(data: string | Uint8Array): void; closed(): void } {
    const client = new LiveClient(socket, caller);
    this.#clients.add(client);
    this.heartbeat.watch(socket); // a tablet asleep or off the Wi-Fi is noticed and let go
    // The tick runs only while someone watches: a box with no screen open does not wake for it.
    this.#timer ??= everyRound(this.options.tickMs, 'the live channel tick', this.log, () => this.#tick());
    return {
      receive: (data) => this.#receive(client, data),
      closed: () => {
        this.#clients.delete(client);
        if (this.#clients.size > 0) return;
        clearInterval(this.#timer);
        this.#timer = undefined;
      },
    };
  }

  /** Every browser gets a fresh snapshot on the next tick (a setting they show changed). */
  resynchronise(): void {
    for (const client of this.#clients) client.stale = true;
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** Snapshots sent since start: first subscriptions and every resynchronisation. */
  get snapshotsSent(): number {
    return this.#snapshots;
  }

  close(): void {
    clearInterval(this.#timer);
    this.#stopListening();
    for (const client of this.#clients) client.socket.close(1001, 'server shutting down');
  }

  #receive(client: LiveClient, data: string | Uint8Array): void {
    let json: unknown;
    try {
      json = typeof data === 'string' ? JSON.parse(data) : undefined;
    } catch {
      json = undefined;
    }
    const parsed = liveClientMessage.safeParse(json);
    if (!parsed.success) {
      client.send({ type: 'error', message: 'expected {"type":"subscribe","scope":"all"} or {"type":"subscribe","scope":"chair","chairId":…}' });
      return;
    }
    const message = parsed.data;
    // An operator's tablet follows the chair it was signed in for, and only that one.
    if (message.scope === 'all' ? client.caller.role === 'operator' : !mayUseChair(client.caller, message.chairId)) {
      client.send({ type: 'error', message: 'this tablet is signed in for one chair: subscribe to that chair' });
      return;
    }
    client.scope = message.scope === 'all' ? { kind: 'all' } : { kind: 'chair', chairId: message.chairId };
    this.#snapshot(client);
  }

  #snapshot(client: LiveClient): void {
    const scope = client.scope;
    if (!scope) return;
    this.#snapshots += 1;
    const chairs = scope.kind === 'all' ? this.board.chairs() : [this.board.chair(scope.chairId)].filter((c) => c !== undefined);
    const series = scope.kind === 'chair' ? { [scope.chairId]: this.board.series(scope.chairId) } : {};
    const cells = scope.kind === 'chair' ? { [scope.chairId]: this.board.cells(scope.chairId) } : {};
    client.dirty.clear();
    client.points.length = 0;
    client.cells.clear();
    client.stale = false;
    client.plans.clear();
    client.planOf.clear();
    const plans: Record<string, LivePlan> = {};
    for (const plan of this.#newPlans(client, chairs)) plans[plan.id] = plan;
    client.dueAt = Date.now() + this.options.updateEveryMs[scope.kind];
    client.send({ type: 'snapshot', at: this.clock.now(), timeScale: this.clock.scale, audible: this.audible(), chairs, plans, series, cells });
  }

  /**
   * The plans these chairs follow that the browser does not hold in this version; noted as sent.
   * A plan no chair follows any more is forgotten here as the browser forgets it, so that neither
   * side grows with a day's sessions, and it is sent again should a chair follow it again.
   */
  #newPlans(client: LiveClient, chairs: readonly LiveChair[]): LivePlan[] {
    const plans: LivePlan[] = [];
    for (const chair of chairs) {
      const planId = chair.session?.planId ?? null;
      client.planOf.set(chair.id, planId);
      const plan = planId ? this.board.plan(planId) : undefined;
      if (!plan || client.plans.get(plan.id) === plan.updatedAt) continue;
      client.plans.set(plan.id, plan.updatedAt);
      plans.push(plan);
    }
    const followed = new Set(client.planOf.values());
    for (const planId of client.plans.keys()) if (!followed.has(planId)) client.plans.delete(planId);
    return plans;
  }

  /** The chart points and grid cells that only a one-chair view draws; null when there are none. */
  #chairDetail(client: LiveClient): LiveUpdate['detail'] {
    if (client.scope?.kind !== 'chair' || (client.points.length === 0 && client.cells.size === 0)) return null;
    const { chairId } = client.scope;
    const counts: Array<[number, number]> = [...client.cells].map((cell) => [cell, this.board.cellCount(chairId, cell)]);
    client.cells.clear();
    return { chairId, points: client.points.splice(0), cells: counts.length > 0 ? { sessionId: client.cellsSessionId, counts } : null };
  }

  #tick(): void {
    const now = Date.now();
    for (const client of this.#clients) {
      if (!client.scope) continue;
      const buffered = client.socket.bufferedAmount;
      if (client.behind) {
        if (buffered < this.options.maxBufferedBytes / 4) {
          client.behind = false;
          this.#snapshot(client);
        }
        continue;
      }
      if (buffered > this.options.maxBufferedBytes) {
        client.behind = true;
        client.dirty.clear();
        client.points.length = 0;
        client.cells.clear();
        this.log.warn({ buffered }, 'live client fell behind; it will get a snapshot when it drains');
        continue;
      }
      if (client.stale) {
        this.#snapshot(client);
        continue;
      }
      if (now < client.dueAt) continue;
      // A big floor's changes go in parts spread over the period, the longest-waiting chairs first:
      // the screen renders a few cards at a time, and each figure reaches it sooner.
      const parts = Math.ceil(client.dirty.size / this.options.chairsPerUpdate);
      const chairs = [];
      for (const chairId of client.dirty) {
        if (chairs.length === this.options.chairsPerUpdate) break;
        client.dirty.delete(chairId);
        const chair = this.board.chair(chairId);
        if (chair) chairs.push(chair);
      }
      const detail = this.#chairDetail(client);
      if (chairs.length > 0 || detail) client.send({ type: 'update', at: this.clock.now(), chairs, plans: this.#newPlans(client, chairs), detail });
      client.dueAt = now + this.options.updateEveryMs[client.scope.kind] / Math.max(1, parts);
    }
  }
}
