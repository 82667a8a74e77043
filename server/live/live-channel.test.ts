import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { ADMIN_TOKEN_CALLER, type Caller } from '../auth/roles.ts';
import { silentLogger } from '../log.ts';
import type { LiveChair, LiveServerMessage } from '../protocol/live.ts';
import { Heartbeat } from '../sockets/heartbeat.ts';
import type { BoardChange } from './chair-board.ts';
import { LiveChannel, type BoardView } from './live-channel.ts';
import { freshFatigue } from './live-chair.fixture.ts';

/**
 * A browser's socket whose send buffer the test controls: a stalled tablet on real TCP takes
 * megabytes and many seconds to back up, which is not what this test is about.
 */
class FakeBrowser extends EventEmitter {
  readyState = 1;
  bufferedAmount = 0;
  readonly received: LiveServerMessage[] = [];
  send(data: string) {
    this.received.push(JSON.parse(data));
  }
  close() {}
  ping() {}
  terminate() {}
}

/** Chair a follows plan pl-a; chair b has no plan (until a test moves them). */
function chair(id: string, total: number, planId: string | null = id === 'a' ? 'pl-a' : null): LiveChair {
  return {
    id, name: id, state: 'running', selectedRegion: null, currentRegion: null, lastSessionId: null, device: null, sample: null, lastRunning: null, alarms: [],
    session: {
      id: `se-${id}`, operatorId: 'op', operatorName: 'op', patientRef: 'P-1', startedAt: 0, dots: { total, byRegion: {} }, dotsBefore: {},
      planId, guidance: [], fatigue: freshFatigue('op'), outlook: null,
    },
  };
}

/** A board with two chairs whose dot totals the test moves. */
function fakeBoard() {
  const totals = new Map([['a', 0], ['b', 0]]);
  const plans = new Map<string, string | null>([['a', 'pl-a'], ['b', null]]);
  const listeners = new Set<(c: BoardChange) => void>();
  let planVersion = 1;
  const board: BoardView = {
    chairs: () => [...totals].map(([id, n]) => chair(id, n, plans.get(id))),
    chair: (id: string) => (totals.has(id) ? chair(id, totals.get(id)!, plans.get(id)) : undefined),
    plan: (id: string) => (id.startsWith('pl-') ? { id, updatedAt: planVersion, sessionNumber: 1, sessionsPlanned: 3, regions: {} } : undefined),
    series: () => [],
    cells: () => ({ session: [], earlier: [] }),
    cellCount: () => 0,
    onChange: (l: (c: BoardChange) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  const bump = (id: string) => {
    totals.set(id, totals.get(id)! + 1);
    for (const l of listeners) l({ kind: 'chair', chairId: id });
  };
  const editPlan = () => {
    planVersion += 1;
    bump('a');
  };
  /** The chair's next session follows another plan (or none). */
  const follow = (id: string, planId: string | null) => {
    plans.set(id, planId);
    bump(id);
  };
  return { board, bump, editPlan, follow };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const stops: Array<() => void> = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

function channel(board: BoardView, chairsPerUpdate = 24) {
  const heartbeat = new Heartbeat({ intervalMs: 60_000, timeoutMs: 180_000 });
  const live = new LiveChannel(board, { tickMs: 5, updateEveryMs: { chair: 20, all: 20 }, chairsPerUpdate, maxBufferedBytes: 1000 }, heartbeat, silentLogger);
  stops.push(() => live.close(), () => heartbeat.stop());
  return live;
}

function connect(live: LiveChannel, browser: FakeBrowser) {
  const handlers = live.accept(browser as unknown as WebSocket, ADMIN_TOKEN_CALLER);
  handlers.receive(JSON.stringify({ type: 'subscribe', scope: 'all' }));
  return handlers;
}

const latestTotal = (browser: FakeBrowser, id: string) => {
  for (const m of [...browser.received].reverse()) {
    const found = m.type === 'snapshot' || m.type === 'update' ? m.chairs.find((c) => c.id === id) : undefined;
    if (found) return found.session!.dots.total;
  }
  return undefined;
};

describe('the live channel with nobody watching', () => {
  it('sets no timer until a browser connects, and stops it when the last one leaves', () => {
    vi.useFakeTimers();
    try {
      const { board, bump } = fakeBoard();
      const live = channel(board);
      const others = vi.getTimerCount(); // the heartbeat's
      const first = connect(live, new FakeBrowser());
      const second = connect(live, new FakeBrowser());
      expect(vi.getTimerCount()).toBe(others + 1);
      first.closed();
      expect(vi.getTimerCount()).toBe(others + 1);
      second.closed();
      expect(vi.getTimerCount()).toBe(others);

      // A browser arriving later is served as before.
      const browser = new FakeBrowser();
      connect(live, browser);
      bump('a');
      vi.advanceTimersByTime(40);
      expect(latestTotal(browser, 'a')).toBe(1);
      expect(browser.received.some((m) => m.type === 'update')).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the live channel under load', () => {
  it('coalesces a busy chair to a few updates, each with the newest numbers', async () => {
    const { board, bump } = fakeBoard();
    const live = channel(board);
    const browser = new FakeBrowser();
    connect(live, browser);
    for (let i = 0; i < 200; i++) bump('a');
    await sleep(60);
    const updates = browser.received.filter((m) => m.type === 'update');
    expect(updates.length).toBeLessThanOrEqual(3);
    expect(latestTotal(browser, 'a')).toBe(200);
  });

  it('chairs that change at different moments reach a browser together, one update a period', async () => {
    const { board, bump } = fakeBoard();
    const live = channel(board);
    const browser = new FakeBrowser();
    connect(live, browser);
    for (let i = 0; i < 20; i++) {
      bump(i % 2 === 0 ? 'a' : 'b');
      await sleep(3);
    }
    await sleep(40);
    const updates = browser.received.filter((m) => m.type === 'update');
    // 60 ms of changes at one update per 20 ms: a handful of updates, not one per chair per period.
    expect(updates.length).toBeLessThanOrEqual(6);
    expect(updates.filter((m) => m.chairs.length === 2).length).toBeGreaterThan(0);
    expect([latestTotal(browser, 'a'), latestTotal(browser, 'b')]).toEqual([10, 10]);
  });

  it('a floor bigger than one update goes in parts over the period, in the order the chairs changed', async () => {
    const { board, bump } = fakeBoard();
    const live = channel(board, 1);
    const browser = new FakeBrowser();
    connect(live, browser);
    await sleep(30);
    bump('a');
    bump('b');
    await sleep(40);
    bump('b');
    await sleep(40);
    const updates = browser.received.flatMap((m) => (m.type === 'update' ? [m.chairs.map((c) => c.id)] : []));
    expect(updates.every((ids) => ids.length === 1)).toBe(true);
    expect(updates.slice(0, 3)).toEqual([['a'], ['b'], ['b']]);
  });

  it('a stalled browser is skipped while the others keep getting updates, then resynchronised from a snapshot', async () => {
    const { board, bump } = fakeBoard();
    const live = channel(board);
    const stalled = new FakeBrowser();
    const healthy = new FakeBrowser();
    connect(live, stalled);
    connect(live, healthy);
    stalled.bufferedAmount = 1_000_000; // its socket stopped draining
    const sentBefore = stalled.received.length;
    for (let i = 0; i < 10; i++) {
      bump('a');
      await sleep(25);
    }
    expect(stalled.received.length).toBe(sentBefore);
    expect(latestTotal(healthy, 'a')).toBe(10);

    stalled.bufferedAmount = 0; // it caught up
    await sleep(30);
    const last = stalled.received.at(-1)!;
    expect(last.type).toBe('snapshot');
    expect(latestTotal(stalled, 'a')).toBe(10);
  });

  it('a browser only hears about the chair it subscribed to', async () => {
    const { board, bump } = fakeBoard();
    const live = channel(board);
    const tablet = new FakeBrowser();
    live.accept(tablet as unknown as WebSocket, ADMIN_TOKEN_CALLER).receive(JSON.stringify({ type: 'subscribe', scope: 'chair', chairId: 'b' }));
    bump('a');
    bump('b');
    await sleep(40);
    const ids = tablet.received.flatMap((m) => (m.type === 'snapshot' || m.type === 'update' ? m.chairs.map((c) => c.id) : []));
    expect(new Set(ids)).toEqual(new Set(['b']));
  });
});

describe('settings the screens show', () => {
  it('after such a setting changes, every browser gets a fresh snapshot', async () => {
    const { board } = fakeBoard();
    const live = channel(board);
    const browser = new FakeBrowser();
    connect(live, browser);
    const snapshots = () => browser.received.filter((m) => m.type === 'snapshot').length;
    expect(snapshots()).toBe(1);
    live.resynchronise();
    await sleep(30);
    expect(snapshots()).toBe(2);
  });
});

describe('plans on the live channel', () => {
  const plansSent = (browser: FakeBrowser) =>
    browser.received.flatMap((m) => (m.type === 'update' ? m.plans : m.type === 'snapshot' ? Object.values(m.plans) : [])).map((p) => p.updatedAt);

  it('a plan no chair follows any more is let go on both sides, and sent again when a chair follows it again', async () => {
    const { board, follow } = fakeBoard();
    const live = channel(board);
    const browser = new FakeBrowser();
    connect(live, browser);
    follow('a', 'pl-b'); // the patient's next session, on its own plan
    await sleep(30);
    follow('b', 'pl-c');
    await sleep(30);
    follow('a', 'pl-a'); // another patient whose treatment uses the first plan again
    await sleep(30);
    const plansIn = (m: LiveServerMessage) => (m.type === 'update' ? m.plans.map((p) => p.id) : m.type === 'snapshot' ? Object.keys(m.plans) : []);
    expect(browser.received.map(plansIn).filter((ids) => ids.length > 0)).toEqual([['pl-a'], ['pl-b'], ['pl-c'], ['pl-a']]);
  });

  it('a plan goes to a browser once, with the snapshot, and again only when it is edited, never with every chair update', async () => {
    const { board, bump, editPlan } = fakeBoard();
    const live = channel(board);
    const browser = new FakeBrowser();
    connect(live, browser);
    for (let i = 0; i < 5; i++) {
      bump('a');
      await sleep(25);
    }
    expect(plansSent(browser)).toEqual([1]);
    editPlan();
    await sleep(40);
    expect(plansSent(browser)).toEqual([1, 2]);
    // The edited plan arrives with the chair update that follows it.
    const withPlan = browser.received.findLast((m) => m.type === 'update' && m.plans.length > 0);
    expect(withPlan?.type === 'update' && withPlan.chairs.map((c) => c.id)).toEqual(['a']);
  });
});

describe('who may watch what', () => {
  const operatorOfB: Caller = { role: 'operator', personId: 'pe_1', name: 'Ana', chairId: 'b' };

  it('an operator\'s tablet may follow its own chair, not another and not the whole floor', async () => {
    const { board } = fakeBoard();
    const live = channel(board);
    const tablet = new FakeBrowser();
    const handlers = live.accept(tablet as unknown as WebSocket, operatorOfB);
    handlers.receive(JSON.stringify({ type: 'subscribe', scope: 'all' }));
    handlers.receive(JSON.stringify({ type: 'subscribe', scope: 'chair', chairId: 'a' }));
    expect(tablet.received.map((m) => m.type)).toEqual(['error', 'error']);
    handlers.receive(JSON.stringify({ type: 'subscribe', scope: 'chair', chairId: 'b' }));
    expect(tablet.received.at(-1)).toMatchObject({ type: 'snapshot', chairs: [{ id: 'b' }] });
  });
});

describe('who hears which chair', () => {
  const updated = (browser: FakeBrowser) => browser.received.flatMap((m) => (m.type === 'update' ? m.chairs.map((c) => c.id) : []));

  it('a tablet hears its own chair only, and the one it moves to after; the wall hears every chair', async () => {
    const { board, bump } = fakeBoard();
    const live = channel(board);
    const tablet = new FakeBrowser();
    const handlers = live.accept(tablet as unknown as WebSocket, ADMIN_TOKEN_CALLER);
    handlers.receive(JSON.stringify({ type: 'subscribe', scope: 'chair', chairId: 'a' }));
    const wall = new FakeBrowser();
    connect(live, wall);
    bump('a');
    bump('b');
    await sleep(40);
    expect(updated(tablet)).toEqual(['a']);
    expect(new Set(updated(wall))).toEqual(new Set(['a', 'b']));

    handlers.receive(JSON.stringify({ type: 'subscribe', scope: 'chair', chairId: 'b' }));
    tablet.received.length = 0;
    bump('a');
    bump('b');
    await sleep(40);
    expect(updated(tablet)).toEqual(['b']);
    expect(latestTotal(wall, 'a')).toBe(2);
  });
});
