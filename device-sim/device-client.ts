import { WebSocket } from 'ws';
import {
  CloseCode,
  PROTOCOL_VERSION,
  serverMessage,
  type DeviceDataMessage,
  type InhibitMessage,
  type ServerMessage,
} from '../server/protocol/v1.ts';
import type { Outbox } from './outbox.ts';

/** Reconnect delays: capped exponential, with jitter so that a room of devices does not stampede. */
export const RECONNECT_INITIAL_MS = 250;
export const RECONNECT_MAX_MS = 10_000;
/** Frames stay well under the server's 64 KiB limit. */
const FRAME_BUDGET_BYTES = 48 * 1024;

type Unsequenced<M> = M extends unknown ? Omit<M, 'seq'> : never;
export type DeviceData = Unsequenced<DeviceDataMessage>;

export interface DeviceClientOptions {
  /** wss://host:port/ws/device (or ws:// on the box itself) */
  url: string;
  /** The clinic CA (PEM): for wss://, the only issuer the client trusts. */
  ca?: string;
  deviceId: string;
  token: string;
  fw?: string;
  outbox: Outbox;
  reconnect?: { initialMs: number; maxMs: number };
  /** Called for every message the server sends, after the client has acted on it. */
  onMessage?: (message: ServerMessage) => void;
}

export type ConnectionState = 'connecting' | 'open' | 'waiting' | 'stopped';

/**
 * A handpiece's side of protocol v1: hello, resend after welcome, keep everything until acked,
 * reconnect with backoff, and obey inhibit/release.
 */
export class DeviceClient {
  state: ConnectionState = 'waiting';
  /** Why the client gave up, when the server told it to (bad token, replaced). */
  stoppedBecause: string | undefined;
  inhibit: InhibitMessage | null = null;
  region: string | null = null;
  sessionId: string | null = null;
  ackedSeq = 0;
  refusals = 0;
  connects = 0;

  #socket: WebSocket | undefined;
  #welcomed = false;
  #attempt = 0;
  #retry: NodeJS.Timeout | undefined;
  #awayUntil = 0;
  #loseNext = false;

  constructor(private readonly options: DeviceClientOptions) {}

  get deviceId(): string {
    return this.options.deviceId;
  }

  /** Highest seq handed to the outbox. */
  get sentSeq(): number {
    return this.options.outbox.nextSeq - 1;
  }

  get unacked(): number {
    return this.options.outbox.unacked().length;
  }

  start(): void {
    this.#connect();
  }

  /** Numbers the messages, keeps them in the outbox, and sends them now if the server is listening. */
  send(data: readonly DeviceData[]): void {
    const outbox = this.options.outbox;
    const messages: DeviceDataMessage[] = [];
    for (const d of data) {
      const message: DeviceDataMessage = d.type === 'tel' ? { ...d, seq: outbox.nextSeq } : { ...d, seq: outbox.nextSeq };
      outbox.append(message);
      if (this.#loseNext) {
        this.#loseNext = false;
        outbox.lose(message.seq);
        continue;
      }
      messages.push(message);
    }
    if (this.#welcomed) this.#write(messages);
  }

  /** Loses the connection the way a Wi-Fi drop does: no close handshake. */
  drop(): void {
    this.#socket?.terminate();
  }

  // ---- faults, for the simulator's fault scenarios ----

  /** Drops the connection and stays away for `ms` (a handpiece out of range, its battery swapped). */
  dropFor(ms: number): void {
    this.#awayUntil = Date.now() + ms;
    this.drop();
  }

  /** The next message is lost on the device before it is sent: the server records a seq gap. */
  loseNextMessage(): void {
    this.#loseNext = true;
  }

  /** Sends a broken message under a seq of its own (a firmware bug): refused, acknowledged, recorded. */
  sendMalformed(): void {
    const outbox = this.options.outbox;
    const seq = outbox.nextSeq;
    outbox.append({ type: 'tel', seq, ts: Date.now(), cycleHz: 0, needles: 1, running: false });
    outbox.lose(seq);
    if (this.#welcomed) this.#socket?.send(JSON.stringify({ type: 'dot', seq, ts: Date.now(), cycles: -1, dwellMs: 150, needles: 3 }));
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.#retry);
    const socket = this.#socket;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.close(1000, 'simulator stopping');
      });
    }
    this.options.outbox.close();
  }

  #connect(): void {
    if (this.state === 'stopped') return;
    this.state = 'connecting';
    const socket = new WebSocket(this.options.url, this.options.ca ? { ca: this.options.ca } : undefined);
    this.#socket = socket;
    socket.on('open', () => {
      this.connects += 1;
      const { deviceId, token, fw } = this.options;
      socket.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, deviceId, token, ...(fw && { fw }) }));
    });
    socket.on('message', (data) => this.#receive(data.toString()));
    socket.on('error', () => {}); // a 'close' always follows; that is where we act
    socket.on('close', (code, reason) => this.#closed(socket, code, reason.toString()));
  }

  #receive(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return;
    }
    const parsed = serverMessage.safeParse(json);
    if (!parsed.success) return;
    const message = parsed.data;
    switch (message.type) {
      case 'welcome':
        this.#welcomed = true;
        this.#attempt = 0;
        this.state = 'open';
        this.sessionId = message.sessionId;
        this.#acked(message.ackedSeq);
        this.#write(this.options.outbox.unacked());
        break;
      case 'ack':
        this.#acked(message.seq);
        break;
      case 'inhibit':
        this.inhibit = message;
        break;
      case 'release':
        this.inhibit = null;
        break;
      case 'region':
        this.region = message.region;
        break;
      case 'error':
        this.refusals += 1;
        break;
    }
    this.options.onMessage?.(message);
  }

  #acked(seq: number): void {
    this.options.outbox.ack(seq);
    this.ackedSeq = Math.max(this.ackedSeq, seq);
  }

  /** Sends messages in frames under the size budget: one object alone, several as a batch array. */
  #write(messages: readonly DeviceDataMessage[]): void {
    const socket = this.#socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    let frame: string[] = [];
    let bytes = 2;
    const flush = () => {
      if (frame.length === 0) return;
      socket.send(frame.length === 1 ? frame[0]! : `[${frame.join(',')}]`);
      frame = [];
      bytes = 2;
    };
    for (const message of messages) {
      const json = JSON.stringify(message);
      if (bytes + json.length + 1 > FRAME_BUDGET_BYTES) flush();
      frame.push(json);
      bytes += json.length + 1;
    }
    flush();
  }

  #closed(socket: WebSocket, code: number, reason: string): void {
    if (socket !== this.#socket) return;
    this.#welcomed = false;
    if (this.state === 'stopped') return;
    if (code === CloseCode.unauthorized || code === CloseCode.replaced) {
      this.state = 'stopped';
      this.stoppedBecause = `server closed with ${code}: ${reason}`;
      return;
    }
    this.state = 'waiting';
    const { initialMs, maxMs } = this.options.reconnect ?? { initialMs: RECONNECT_INITIAL_MS, maxMs: RECONNECT_MAX_MS };
    const backoff = Math.min(maxMs, initialMs * 2 ** this.#attempt) * (0.5 + Math.random() / 2);
    const delay = Math.max(backoff, this.#awayUntil - Date.now());
    this.#attempt += 1;
    this.#retry = setTimeout(() => this.#connect(), delay);
  }
}
