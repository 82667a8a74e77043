import type { LiveHub } from '../live/hub.ts';
import type { Session } from '../store/sessions.ts';
import type { Store } from '../store/index.ts';
import { sessionWork, type SessionWork } from './session-report.ts';

/**
 * The dot-reading part of recent ended sessions' reports, kept so that opening a report again (to
 * review, sign off, print) does not read 40,000 dots again. An open session is always read afresh;
 * a dot resent late into an ended session drops its entry. At most `size` sessions are kept.
 */
export class SessionWorkCache {
  readonly #entries = new Map<string, SessionWork>();

  constructor(
    hub: LiveHub,
    private readonly size = 16,
  ) {
    // The hub lives and ends with the server, as this cache does: no need to unsubscribe.
    hub.on('dots', ({ dots }) => {
      for (const dot of dots) if (dot.sessionId !== null) this.#entries.delete(dot.sessionId);
    });
  }

  get(store: Store, session: Session): SessionWork {
    if (session.endedAt === null) return sessionWork(store, session);
    let work = this.#entries.get(session.id);
    if (work) this.#entries.delete(session.id);
    else work = sessionWork(store, session);
    this.#entries.set(session.id, work); // the newest last: the oldest goes first
    if (this.#entries.size > this.size) this.#entries.delete(this.#entries.keys().next().value!);
    return work;
  }

  get cached(): number {
    return this.#entries.size;
  }
}
