import type { WebSocket } from 'ws';

export interface HeartbeatOptions {
  intervalMs: number;
  /** A socket silent (no pong, no message) this long is terminated. */
  timeoutMs: number;
}

export const defaultHeartbeat: HeartbeatOptions = { intervalMs: 10_000, timeoutMs: 30_000 };

/**
 * Pings every watched socket on an interval and terminates the ones that stopped answering, as in
 * the ws README ("How to detect and close broken connections?"), counting missed rounds.
 */
export class Heartbeat {
  /** Rounds each socket has not answered; an object per socket, so that a message resets it without a map lookup. */
  readonly #missed = new Map<WebSocket, { rounds: number }>();
  readonly #timer: NodeJS.Timeout;
  readonly #roundsAllowed: number;

  constructor(options: HeartbeatOptions) {
    this.#roundsAllowed = Math.max(1, Math.round(options.timeoutMs / options.intervalMs));
    this.#timer = setInterval(() => this.#round(), options.intervalMs);
    this.#timer.unref();
  }

  watch(socket: WebSocket): void {
    const missed = { rounds: 0 };
    const alive = () => (missed.rounds = 0);
    this.#missed.set(socket, missed);
    socket.on('pong', alive);
    socket.on('message', alive);
    socket.once('close', () => this.#missed.delete(socket));
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #round(): void {
    for (const [socket, missed] of this.#missed) {
      if (missed.rounds >= this.#roundsAllowed) {
        socket.terminate();
        this.#missed.delete(socket);
        continue;
      }
      missed.rounds += 1;
      socket.ping();
    }
  }
}
