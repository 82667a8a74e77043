import { afterEach, describe, expect, it } from 'vitest';
import { SessionBoundSockets, type SessionValidity } from './session-bound.ts';
import { silentLogger } from '../log.ts';

/** Browser sessions as the watcher sees them: a set of good ids with expiries, and revocation news. */
function fakeSessions() {
  const expiries = new Map<string, number>();
  const listeners = new Set<() => void>();
  const sessions: SessionValidity & { add(id: string, expiresAt: number): void; revoke(id: string): void } = {
    caller: (id, now) => ((expiries.get(id) ?? 0) > now ? { id } : undefined),
    onRevoked(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    add: (id, expiresAt) => expiries.set(id, expiresAt),
    revoke(id) {
      expiries.delete(id);
      for (const listener of listeners) listener();
    },
  };
  return sessions;
}

let watcher: SessionBoundSockets | undefined;
afterEach(() => watcher?.close());

describe('sockets bound to their browser session', () => {
  it('a revoked session closes its sockets at once, and only its own', () => {
    const sessions = fakeSessions();
    sessions.add('s1', 1_000);
    sessions.add('s2', 1_000);
    watcher = new SessionBoundSockets(sessions, { now: () => 0, scale: 1 }, { sweepMs: 60_000 }, silentLogger);
    const closed: string[] = [];
    watcher.bind('s1', () => closed.push('s1'));
    watcher.bind('s2', () => closed.push('s2'));
    sessions.revoke('s1');
    expect(closed).toEqual(['s1']);
    expect(watcher.size).toBe(1);
  });

  it('an expired session is closed by the sweep, once; an unbound socket is not touched', () => {
    const sessions = fakeSessions();
    sessions.add('s1', 1_000);
    sessions.add('s2', 1_000);
    let now = 0;
    watcher = new SessionBoundSockets(sessions, { now: () => now, scale: 1 }, { sweepMs: 60_000 }, silentLogger);
    const closed: string[] = [];
    watcher.bind('s1', () => closed.push('s1'));
    const unbind = watcher.bind('s2', () => closed.push('s2'));
    unbind();
    watcher.sweep();
    expect(closed).toEqual([]);
    now = 1_000;
    watcher.sweep();
    watcher.sweep();
    expect(closed).toEqual(['s1']);
  });
});
