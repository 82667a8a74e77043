import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';
import { everyRound } from '../rounds.ts';

/** What the watcher asks of the browser sessions: is this cookie still good now, and tell me of revocations. */
export interface SessionValidity {
  caller(id: string, now: number): unknown;
  onRevoked(listener: () => void): () => void;
}

export interface SessionBoundOptions {
  /** How often every bound socket's session is checked again (expiry is noticed within this). */
  sweepMs: number;
}

export const defaultSessionBound: SessionBoundOptions = { sweepMs: 500 };

/**
 * Long-lived browser sockets belong to the browser session they were opened with: when that session
 * ends — signed out, its person disabled, revoked, expired — the socket is closed. Revocations close
 * at once; expiry is found by a sweep. Every browser channel binds its sockets here, so none can
 * outlive the identity that opened it.
 */
export class SessionBoundSockets {
  readonly #bound = new Map<object, { session: string; close(): void }>();
  readonly #timer: NodeJS.Timeout;
  readonly #stopListening: () => void;

  constructor(
    private readonly sessions: SessionValidity,
    private readonly clock: Clock,
    options: SessionBoundOptions,
    log: Logger,
  ) {
    this.#stopListening = sessions.onRevoked(() => this.sweep());
    this.#timer = everyRound(options.sweepMs, 'the sweep of browser sockets', log, () => this.sweep());
  }

  /** Ties a socket to the browser session `session` (the cookie value); the returned function unties it. */
  bind(session: string, close: () => void): () => void {
    const key = {};
    this.#bound.set(key, { session, close });
    return () => this.#bound.delete(key);
  }

  /** Closes every socket whose session is no longer good. */
  sweep(): void {
    const now = this.clock.now();
    for (const [key, socket] of this.#bound) {
      if (this.sessions.caller(socket.session, now)) continue;
      this.#bound.delete(key);
      socket.close();
    }
  }

  get size(): number {
    return this.#bound.size;
  }

  close(): void {
    clearInterval(this.#timer);
    this.#stopListening();
  }
}
