import { WebSocket } from 'ws';
import type { Clock } from '../clock.ts';
import type { LiveHub } from '../live/hub.ts';
import type { Logger } from '../log.ts';
import { CloseCode, ErrorCode, UNASSIGNED_REGION, type DeviceDataMessage, type ServerMessage } from '../protocol/v1.ts';
import type { Store } from '../store/index.ts';
import type { DeviceRegistry } from './device-registry.ts';
import { judgeSeq, type DeviceConnection, type DeviceState } from './device-state.ts';
import { asData, parseFrame, type FrameItem, type Refused } from './frame.ts';
import type { GroupCommit } from './group-commit.ts';

export interface IngestContext {
  store: Store;
  registry: DeviceRegistry;
  commit: GroupCommit;
  hub: LiveHub;
  clock: Clock;
  log: Logger;
  helloTimeoutMs: number;
}

/**
 * One device socket: waits for a good hello, then turns every message into a pending write,
 * a duplicate to acknowledge again, or a refusal — each message on its own.
 */
export class DeviceLink implements DeviceConnection {
  #device: DeviceState | undefined;
  #closed = false;
  readonly #helloTimer: NodeJS.Timeout;

  constructor(
    private readonly socket: WebSocket,
    private readonly address: string | null,
    private readonly ctx: IngestContext,
    /** Called once the hello is good (the socket stops counting as a stranger's). */
    private readonly authenticated: () => void = () => {},
  ) {
    this.#helloTimer = setTimeout(() => this.#unauthorized('no hello in time'), ctx.helloTimeoutMs);
  }

  send(message: ServerMessage): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.socket.close(code, reason);
  }

  receive(data: string | Uint8Array): void {
    if (this.#closed) return;
    if (typeof data !== 'string') {
      this.close(CloseCode.binaryFrame, 'binary frames are not part of protocol v1: send JSON text');
      return;
    }
    let ackOwed = false;
    for (const item of parseFrame(data)) {
      if (this.#closed) return;
      if (this.#device) ackOwed = this.#take(this.#device, item) || ackOwed;
      else this.#hello(item);
    }
    if (ackOwed && this.#device?.settled) this.#device.ack();
  }

  /** The socket is gone, whoever closed it. */
  closed(): void {
    this.#closed = true;
    clearTimeout(this.#helloTimer);
    const device = this.#device;
    if (!device || !this.ctx.registry.detach(device, this)) return;
    const now = this.ctx.clock.now();
    // Announced first: the alarms learn of it even when the disk refuses the last-seen time.
    this.ctx.hub.emit('device', { deviceId: device.id, chairId: device.chairId, online: false, at: now });
    this.ctx.store.devices.recordSeen(device.key, now);
  }

  #hello(item: FrameItem): void {
    if (!item.ok || item.message.type !== 'hello') {
      this.#unauthorized('the first message must be a hello');
      return;
    }
    const { deviceId, token, fw } = item.message;
    const device = this.ctx.registry.authenticate(deviceId, token);
    if (!device) {
      this.#unauthorized('unknown device or wrong token');
      return;
    }
    clearTimeout(this.#helloTimer);
    this.authenticated();
    this.#device = device;
    this.ctx.registry.attach(device, this);
    const now = this.ctx.clock.now();
    this.ctx.store.devices.recordHello(device.key, fw ?? null, this.address, now);
    this.send(this.ctx.registry.welcome(device));
    for (const order of this.ctx.registry.standingOrders(device.chairId)) this.send(order);
    this.ctx.hub.emit('device', { deviceId: device.id, chairId: device.chairId, online: true, at: now });
    this.ctx.log.info({ deviceId, address: this.address, ackedSeq: device.storedSeq }, 'device connected');
  }

  #unauthorized(why: string): void {
    this.ctx.log.warn({ address: this.address, why }, 'device refused');
    this.send({ type: 'error', code: ErrorCode.unauthorized, message: why });
    this.close(CloseCode.unauthorized, why);
  }

  /** Handles one message of an authenticated device; says whether it owes the device an ack now. */
  #take(device: DeviceState, frameItem: FrameItem): boolean {
    const item = asData(frameItem);
    const now = this.ctx.clock.now();
    return item.ok ? this.#accept(device, item.message, now) : this.#refuse(device, item, now);
  }

  /**
   * Moves the device's watermark to `seq`, recording any seqs it skipped. False for a duplicate:
   * it was taken in before and only needs its ack again.
   */
  #advance(device: DeviceState, seq: number, now: number): boolean {
    const verdict = judgeSeq(device.acceptedSeq, seq);
    if (verdict.kind === 'duplicate') return false;
    if (verdict.kind === 'gap') {
      this.ctx.commit.addIncident(device, {
        ...origin(device), kind: 'gap', seq: verdict.from, seqTo: verdict.to, at: now,
        detail: `${verdict.to - verdict.from + 1} message(s) never arrived`,
      });
    }
    device.acceptedSeq = seq;
    return true;
  }

  #refuse(device: DeviceState, item: Refused, now: number): boolean {
    const seq = item.seq ?? null;
    if (seq !== null && !this.#advance(device, seq, now)) return true;
    this.send({ type: 'error', code: ErrorCode.invalid, message: item.reason, ...(seq !== null && { seq }) });
    this.ctx.commit.addIncident(device, { ...origin(device), kind: 'refused', seq, seqTo: null, detail: item.reason, at: now });
    return false;
  }

  #accept(device: DeviceState, message: DeviceDataMessage, now: number): boolean {
    if (!this.#advance(device, message.seq, now)) return true;
    device.clock.observe(message.ts, now);
    const madeAt = device.clock.toServerTime(message.ts);
    // Written out field by field: this runs for every message, and spreads cost allocations.
    if (message.type === 'dot') {
      this.ctx.commit.addDot(device, {
        deviceKey: device.key,
        deviceId: device.id,
        chairId: device.chairId,
        seq: message.seq,
        madeAt,
        region: message.region ?? this.ctx.registry.selectedRegion(device.chairId) ?? UNASSIGNED_REGION,
        x: message.x,
        y: message.y,
        cycles: message.cycles,
        dwellMs: message.dwellMs,
        needles: message.needles,
      });
    } else {
      const sample = {
        deviceKey: device.key,
        deviceId: device.id,
        chairId: device.chairId,
        madeAt,
        cycleHz: message.cycleHz,
        needles: message.needles,
        running: message.running,
        batteryPct: message.batteryPct,
      };
      this.ctx.commit.addSample(device, sample);
      // A live reading goes to the screens at once; waiting for its commit would only add latency.
      this.ctx.hub.emit('sample', sample);
    }
    return false;
  }
}

function origin(device: DeviceState) {
  return { deviceKey: device.key, deviceId: device.id, chairId: device.chairId };
}
