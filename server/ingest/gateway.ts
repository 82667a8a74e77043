import type { WebSocket } from 'ws';
import type { Clock } from '../clock.ts';
import type { LiveHub } from '../live/hub.ts';
import type { Logger } from '../log.ts';
import { CloseCode } from '../protocol/v1.ts';
import type { Heartbeat } from '../sockets/heartbeat.ts';
import type { Store } from '../store/index.ts';
import { DeviceLink } from './device-link.ts';
import { DeviceRegistry } from './device-registry.ts';
import { GroupCommit, type Committed, type GroupCommitOptions } from './group-commit.ts';

export interface GatewayOptions {
  store: Store;
  hub: LiveHub;
  clock: Clock;
  log: Logger;
  groupCommit: GroupCommitOptions;
  heartbeat: Heartbeat;
  helloTimeoutMs: number;
}

/** The device side of the server: sockets in, group commits to the store, acks and live events out. */
export function createDeviceGateway(options: GatewayOptions) {
  const { store, hub, log, heartbeat } = options;
  const registry = new DeviceRegistry(store);
  const committedListeners = new Set<(result: Committed) => void>();

  const commit = new GroupCommit(store.ingest, options.groupCommit, {
    committed(result) {
      for (const device of result.devices) device.ack();
      publish(hub, result);
      for (const listener of committedListeners) listener(result);
    },
    failed(error, devices) {
      // Nothing of the batch was acknowledged. Roll the watermarks back and drop the sockets so
      // that each device reconnects and resends it: lost from memory, not from the clinic.
      log.error({ err: error, devices: devices.length }, 'group commit failed; devices will resend');
      for (const device of devices) {
        device.acceptedSeq = device.storedSeq;
        device.link?.close(CloseCode.serverError, 'the server could not store your data: reconnect and resend');
      }
    },
  });

  const context = { ...options, registry, commit };

  return {
    registry,
    /** Every commit, after its acks went out (the metrics count them); returns the unsubscribe. */
    onCommitted(listener: (result: Committed) => void): () => void {
      committedListeners.add(listener);
      return () => committedListeners.delete(listener);
    },
    /** Takes a freshly upgraded device socket; `authenticated` is called when its hello is good. */
    accept(socket: WebSocket, address: string | null, authenticated?: () => void): DeviceLink {
      heartbeat.watch(socket);
      return new DeviceLink(socket, address, context, authenticated);
    },
    /** Commits what is pending and says goodbye to every device. */
    close(): void {
      commit.flush();
      for (const connection of registry.connections()) connection.close(CloseCode.serverShutdown, 'server shutting down');
    },
  };
}

export type DeviceGateway = ReturnType<typeof createDeviceGateway>;

function publish(hub: LiveHub, result: Committed): void {
  const byDevice = new Map<string, Committed['dots']>();
  for (const dot of result.dots) {
    const list = byDevice.get(dot.deviceId) ?? [];
    list.push(dot);
    byDevice.set(dot.deviceId, list);
  }
  for (const [deviceId, dots] of byDevice) hub.emit('dots', { deviceId, chairId: dots[0]!.chairId, dots });
  for (const incident of result.incidents) hub.emit('incident', incident);
}
