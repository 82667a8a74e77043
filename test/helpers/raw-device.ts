import { WebSocket, type ClientOptions } from 'ws';
import { serverMessage, type ServerMessage } from '../../server/protocol/v1.ts';
import { waitFor } from './server.ts';

/**
 * A bare protocol peer: sends exactly the frames a test gives it and records every message and
 * the close, so that tests check the wire behaviour of protocol-v1.md itself.
 */
export class RawDevice {
  readonly received: ServerMessage[] = [];
  closeCode: number | undefined;
  closeReason = '';
  readonly #socket: WebSocket;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (data) => this.received.push(serverMessage.parse(JSON.parse(data.toString()))));
    socket.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
    });
  }

  /** `options.ca`: for wss://, the only CA trusted (a handpiece's pin). */
  static async connect(url: string, options?: ClientOptions): Promise<RawDevice> {
    const socket = new WebSocket(url, options);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new RawDevice(socket);
  }

  /** Connects and says hello; resolves with the welcome. */
  static async hello(url: string, deviceId: string, token: string, options?: ClientOptions) {
    const device = await RawDevice.connect(url, options);
    device.send({ type: 'hello', v: 1, deviceId, token, fw: 'raw/1' });
    const welcome = await device.next('welcome');
    return { device, welcome };
  }

  get socket(): WebSocket {
    return this.#socket;
  }

  send(value: unknown): void {
    this.#socket.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.#socket.send(data, { binary });
  }

  of<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
    return this.received.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
  }

  /** The first message of `type` at or after position `from` in what was received. */
  async next<T extends ServerMessage['type']>(type: T, from = 0, timeoutMs = 5_000): Promise<Extract<ServerMessage, { type: T }>> {
    return waitFor(
      () => this.received.slice(from).find((m): m is Extract<ServerMessage, { type: T }> => m.type === type),
      timeoutMs,
      `a ${type} message`,
    );
  }

  /** Waits for an ack covering `seq`. */
  async acked(seq: number, timeoutMs = 5_000): Promise<void> {
    await waitFor(() => this.of('ack').some((a) => a.seq >= seq), timeoutMs, `an ack of seq ${seq}`);
  }

  async closed(timeoutMs = 5_000): Promise<number> {
    return waitFor(() => this.closeCode, timeoutMs, 'the socket to close');
  }

  close(): void {
    this.#socket.close();
  }
}

export function dot(seq: number, extra: Record<string, unknown> = {}) {
  return { type: 'dot', seq, ts: Date.now(), region: 'crown', x: 0.5, y: 0.7, cycles: 18, dwellMs: 150, needles: 3, ...extra };
}

export function tel(seq: number, extra: Record<string, unknown> = {}) {
  return { type: 'tel', seq, ts: Date.now(), cycleHz: 120, needles: 3, running: true, batteryPct: 80, ...extra };
}
