import { SvelteSet } from 'svelte/reactivity';
import { goto } from '$app/navigation';
import { liveServerMessage, LIVE_PATH, LiveCloseCode, type CellCounts, type LiveChair, type LiveClientMessage, type LivePlan } from '$protocol/live';

/** Reconnect delays: capped exponential, tried again at once when the tablet wakes or the Wi-Fi returns. */
export const RECONNECT_INITIAL_MS = 500;
export const RECONNECT_MAX_MS = 10_000;

/** `paused`: the page is hidden and has let go of the feed on purpose. */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'paused';

/** The feeds this screen runs, so that one banner can say since when the box is out of reach. */
const running = new SvelteSet<LiveFeed>();

/**
 * Since when this screen has not reached the box, on the server's clock: the first drop, once
 * every live feed it runs has lost its connection; null while one is connected or none runs.
 */
export function unreachableSince(): number | null {
  const feeds = [...running];
  if (feeds.length === 0 || feeds.some((feed) => feed.downSince === null)) return null;
  return Math.min(...feeds.map((feed) => feed.downSince ?? Infinity));
}

export interface LiveFeedHandlers {
  /** A fresh snapshot: everything before it is replaced. */
  onSnapshot?(series: Record<string, Array<[number, number]>>, cells: Record<string, { session: CellCounts; earlier: CellCounts }>): void;
  onSamples?(chairId: string, points: Array<[number, number]>): void;
  /** Cells of a chair's session grid with their new counts. */
  onCells?(chairId: string, sessionId: string, cells: CellCounts): void;
  /** The server refused the live feed: the browser is not signed in. */
  onSignedOut?(): void;
}

/**
 * The dashboard's live connection: subscribes, takes the snapshot then the updates, and after any
 * drop (Wi-Fi, a sleeping tab, a server restart) reconnects by itself and resynchronises from a
 * new snapshot, without a page reload.
 */
export class LiveFeed {
  status = $state<LiveStatus>('connecting');
  /** Replaced, never mutated: a chair's card re-renders when its object changes. */
  chairs = $state.raw<Record<string, LiveChair>>({});
  /** The clinic's setting: whether high alarms sound on tablets. */
  audible = $state(true);
  /** The plans the chairs' sessions follow, by id; a plan object changes only when the plan does. */
  plans = $state.raw<Record<string, LivePlan>>({});
  /** When this feed lost the box (on the server's clock), until its next snapshot; null while it has it. */
  downSince = $state<number | null>(null);
  /** The server's clock at the last snapshot, when it arrived here, and how fast it runs. */
  #serverClock = $state.raw({ at: Date.now(), receivedAt: Date.now(), scale: 1 });

  #socket: WebSocket | undefined;
  #attempt = 0;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  readonly #users: object[] = [];
  /**
   * A hidden page lets go of the feed, so it does no work at all while nobody sees it (a tablet's
   * battery), and takes a fresh snapshot when it shows again. A tablet that wakes or finds its
   * Wi-Fi again tries at once instead of waiting out its back-off.
   */
  readonly #onVisibility = () => {
    if (document.visibilityState === 'hidden') this.#pause();
    else if (this.status === 'paused') {
      this.status = 'connecting';
      this.#connectNow();
    } else this.#wake();
  };
  readonly #wake = () => {
    if (this.status === 'reconnecting') this.#connectNow();
  };

  constructor(
    private readonly subscription: LiveClientMessage,
    private readonly handlers: LiveFeedHandlers = {},
  ) {}

  /**
   * The server's time at the browser's `screenNow`: keeps clocks on screen honest when the tablet's
   * clock is off, and runs them fast when the server does (accelerated demos).
   */
  serverNow(screenNow: number): number {
    const clock = this.#serverClock;
    return clock.at + (screenNow - clock.receivedAt) * clock.scale;
  }

  /** Starts the feed for one user of it; the feed runs until the last user calls the stop it returned. */
  start(): () => void {
    const user = {};
    const release = () => {
      const at = this.#users.indexOf(user);
      if (at < 0) return;
      this.#users.splice(at, 1);
      if (this.#users.length === 0) this.stop();
    };
    this.#users.push(user);
    if (this.#users.length > 1) return release;
    this.#stopped = false;
    running.add(this);
    if (document.visibilityState === 'visible') this.#connect();
    else this.status = 'paused';
    window.addEventListener('online', this.#wake);
    document.addEventListener('visibilitychange', this.#onVisibility);
    return release;
  }

  stop(): void {
    this.#stopped = true;
    this.#users.length = 0;
    running.delete(this);
    clearTimeout(this.#retry);
    window.removeEventListener('online', this.#wake);
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#socket?.close();
    // A shared feed outlives its pages: whoever signs in next must not glimpse the last one's floor.
    this.chairs = {};
    this.plans = {};
  }

  #pause(): void {
    clearTimeout(this.#retry);
    const socket = this.#socket;
    this.#socket = undefined; // its close is no drop: nothing reconnects, no banner
    socket?.close();
    this.status = 'paused';
  }

  #connectNow(): void {
    clearTimeout(this.#retry);
    this.#connect();
  }

  #connect(): void {
    if (this.#stopped) return;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}${LIVE_PATH}`);
    this.#socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      socket.send(JSON.stringify(this.subscription));
    };
    socket.onmessage = (event) => {
      if (socket === this.#socket) this.#receive(event.data);
    };
    socket.onclose = (event) => {
      if (socket !== this.#socket || this.#stopped) return;
      if (event.code === LiveCloseCode.sessionEnded) {
        // Signed out here or elsewhere, disabled, or expired: reconnecting cannot help.
        this.stop();
        this.handlers.onSignedOut?.();
        return;
      }
      this.status = 'reconnecting';
      this.downSince ??= this.serverNow(Date.now());
      if (!opened) void this.#checkSignedIn();
      const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_INITIAL_MS * 2 ** this.#attempt);
      this.#attempt += 1;
      this.#retry = setTimeout(() => this.#connect(), delay);
    };
  }

  async #checkSignedIn(): Promise<void> {
    const me = await fetch('/api/auth/me').then((r) => r.json()).catch(() => undefined);
    if (me && me.signedIn === false) this.handlers.onSignedOut?.();
  }

  /**
   * Takes the new plans and lets go of those no chair follows any more, as the server forgets
   * having sent them: a wall open for weeks holds today's plans, not every plan it ever showed.
   */
  #keepFollowedPlans(added: readonly LivePlan[]): void {
    const all: Record<string, LivePlan> = { ...this.plans, ...Object.fromEntries(added.map((p) => [p.id, p])) };
    const kept: Record<string, LivePlan> = {};
    for (const chair of Object.values(this.chairs)) {
      const planId = chair.session?.planId;
      if (planId && all[planId]) kept[planId] = all[planId];
    }
    const same = added.length === 0 && Object.keys(kept).length === Object.keys(this.plans).length;
    if (!same) this.plans = kept;
  }

  #receive(data: unknown): void {
    if (typeof data !== 'string') return;
    const parsed = liveServerMessage.safeParse(JSON.parse(data));
    if (!parsed.success) return;
    const message = parsed.data;
    switch (message.type) {
      case 'snapshot':
        this.#attempt = 0;
        this.status = 'live';
        this.downSince = null;
        this.#serverClock = { at: message.at, receivedAt: Date.now(), scale: message.timeScale };
        this.chairs = Object.fromEntries(message.chairs.map((c) => [c.id, c]));
        this.plans = message.plans;
        this.audible = message.audible;
        this.handlers.onSnapshot?.(message.series, message.cells);
        break;
      case 'update':
        // Every update re-reads the server's clock: countdowns stay true on a tablet that slept.
        this.#serverClock = { ...this.#serverClock, at: message.at, receivedAt: Date.now() };
        if (message.chairs.length > 0) {
          this.chairs = { ...this.chairs, ...Object.fromEntries(message.chairs.map((c) => [c.id, c])) };
          this.#keepFollowedPlans(message.plans);
        }
        if (message.detail) {
          const { chairId, points, cells } = message.detail;
          if (points.length > 0) this.handlers.onSamples?.(chairId, points);
          if (cells) this.handlers.onCells?.(chairId, cells.sessionId, cells.counts);
        }
        break;
      case 'error':
        console.error('live feed:', message.message);
        break;
    }
  }
}

/**
 * The whole floor's feed, shared by everything on a screen that shows the floor (the wall, the
 * escalated-alarm banner over every staff page): one connection and one parse per update.
 */
export const floorFeed = new LiveFeed(
  { type: 'subscribe', scope: 'all' },
  { onSignedOut: () => goto(`/sign-in?next=${encodeURIComponent(location.pathname)}`) },
);
