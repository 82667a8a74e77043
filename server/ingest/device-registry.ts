import { tokenMatches } from '../auth/tokens.ts';
import type { InhibitMessage, ServerMessage, WelcomeMessage } from '../protocol/v1.ts';
import { CloseCode, InhibitReason, PROTOCOL_VERSION } from '../protocol/v1.ts';
import type { Store } from '../store/index.ts';
import { DeviceState, type DeviceConnection } from './device-state.ts';

/**
 * The devices the server knows, which socket each speaks on now, and what each chair's devices
 * must be told (inhibit, region) — also on their next connect.
 */
export class DeviceRegistry {
  readonly #states = new Map<string, DeviceState>();
  readonly #inhibits = new Map<string, Omit<InhibitMessage, 'type'>>();
  readonly #selectedRegions = new Map<string, string | null>();

  constructor(private readonly store: Store) {
    for (const chair of store.chairs.list()) {
      const latest = store.sessions.latestForChair(chair.id);
      if (latest && latest.endedAt !== null) this.#inhibits.set(chair.id, { reason: InhibitReason.sessionEnded });
    }
  }

  /** The device's state when id and token match a paired device; otherwise undefined. */
  authenticate(deviceId: string, token: string): DeviceState | undefined {
    const hash = this.store.devices.tokenHash(deviceId);
    if (!hash || !tokenMatches(token, hash)) return undefined;
    let state = this.#states.get(deviceId);
    if (!state) {
      const device = this.store.devices.get(deviceId)!;
      state = new DeviceState(device.key, device.id, device.chairId, device.lastSeq, device.clockOffsetMs);
      this.#states.set(deviceId, state);
    }
    return state;
  }

  /** Makes `connection` the device's socket; an older one is closed with 4409. */
  attach(state: DeviceState, connection: DeviceConnection): void {
    const previous = state.link;
    state.link = connection;
    previous?.close(CloseCode.replaced, 'replaced by a newer connection of this device');
  }

  /** Forgets `connection` if it is still the device's socket; says whether it was. */
  detach(state: DeviceState, connection: DeviceConnection): boolean {
    if (state.link !== connection) return false;
    state.link = undefined;
    return true;
  }

  /** Cuts a device off at once (revoked, or its token replaced): close 4401, forget its socket. */
  disconnect(deviceId: string, why: string): void {
    const state = this.#states.get(deviceId);
    state?.link?.close(CloseCode.unauthorized, why);
    if (state) state.link = undefined;
  }

  /**
   * A revoked device never connects again: cut it off and forget it. (A device given a new token
   * is only disconnected: its state holds the watermark of commits still in flight.)
   */
  revoke(deviceId: string): void {
    this.disconnect(deviceId, 'this device was revoked');
    this.#states.delete(deviceId);
  }

  /** Devices with state in memory: those that connected since the start and are not revoked. */
  get devicesHeld(): number {
    return this.#states.size;
  }

  isOnline(deviceId: string): boolean {
    return this.#states.get(deviceId)?.link !== undefined;
  }

  welcome(state: DeviceState): WelcomeMessage {
    return {
      type: 'welcome',
      v: PROTOCOL_VERSION,
      chairId: state.chairId,
      sessionId: this.store.sessions.openForChair(state.chairId)?.id ?? null,
      ackedSeq: state.storedSeq,
    };
  }

  /** What a device must hear right after its welcome to be in step with its chair. */
  standingOrders(chairId: string): ServerMessage[] {
    const orders: ServerMessage[] = [];
    const inhibit = this.#inhibits.get(chairId);
    if (inhibit) orders.push({ type: 'inhibit', ...inhibit });
    const region = this.selectedRegion(chairId);
    if (region) orders.push({ type: 'region', region });
    return orders;
  }

  inhibit(chairId: string, order: Omit<InhibitMessage, 'type'>): void {
    this.#inhibits.set(chairId, order);
    this.sendToChair(chairId, { type: 'inhibit', ...order });
  }

  /** Lifts the chair's inhibit if it was for `reason`. */
  release(chairId: string, reason: InhibitMessage['reason']): void {
    if (this.#inhibits.get(chairId)?.reason !== reason) return;
    this.#inhibits.delete(chairId);
    this.sendToChair(chairId, { type: 'release' });
  }

  selectedRegion(chairId: string): string | null {
    if (!this.#selectedRegions.has(chairId)) {
      this.#selectedRegions.set(chairId, this.store.chairs.get(chairId)?.selectedRegion ?? null);
    }
    return this.#selectedRegions.get(chairId) ?? null;
  }

  selectRegion(chairId: string, region: string): void {
    this.store.chairs.selectRegion(chairId, region);
    this.#selectedRegions.set(chairId, region);
    this.sendToChair(chairId, { type: 'region', region });
  }

  sendToChair(chairId: string, message: ServerMessage): void {
    for (const state of this.#states.values()) {
      if (state.chairId === chairId) state.link?.send(message);
    }
  }

  connections(): DeviceConnection[] {
    const open: DeviceConnection[] = [];
    for (const state of this.#states.values()) if (state.link) open.push(state.link);
    return open;
  }
}
