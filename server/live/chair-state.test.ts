import { describe, expect, it } from 'vitest';
import type { LiveChair } from '../protocol/live.ts';
import { chairStateOf, RUNNING_FRESH_MS } from './chair-state.ts';
import { freshFatigue } from './live-chair.fixture.ts';

const base: Omit<LiveChair, 'state'> = {
  id: 'c', name: 'Chair', selectedRegion: null, currentRegion: null, lastSessionId: null, sample: null, lastRunning: null, session: null, alarms: [],
  device: { id: 'd', online: true, lastSeenAt: null, batteryPct: null },
};
const session = { id: 's', operatorId: 'op', operatorName: 'op', patientRef: 'P-1', startedAt: 0, dots: { total: 0, byRegion: {} }, dotsBefore: {}, planId: null, guidance: [], fatigue: freshFatigue('op'), outlook: null };

describe('what a chair is doing', () => {
  it('a chair whose handpiece is offline reads offline, session or not', () => {
    expect(chairStateOf({ ...base, session, device: { ...base.device!, online: false } }, 1000)).toBe('offline');
  });

  it('a fresh running sample reads running; a stale one no longer does', () => {
    const sample = { at: 10_000, cycleHz: 120, needles: 3, running: true };
    expect(chairStateOf({ ...base, session, sample }, 10_500)).toBe('running');
    expect(chairStateOf({ ...base, session, sample }, 10_000 + RUNNING_FRESH_MS)).toBe('in-session');
  });

  it('a chair with a session and a resting needle is in session; without one it is idle', () => {
    expect(chairStateOf({ ...base, session }, 0)).toBe('in-session');
    expect(chairStateOf(base, 0)).toBe('idle');
  });

  it('a sample stays fresh for a longer span of an accelerated clock: the same real time', () => {
    const sample = { at: 0, cycleHz: 120, needles: 3, running: true };
    expect(chairStateOf({ ...base, session, sample }, 60 * RUNNING_FRESH_MS - 1)).toBe('in-session');
    expect(chairStateOf({ ...base, session, sample }, 60 * RUNNING_FRESH_MS - 1, 60 * RUNNING_FRESH_MS)).toBe('running');
  });
});
