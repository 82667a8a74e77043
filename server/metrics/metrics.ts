import { statSync } from 'node:fs';
import { join } from 'node:path';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AlarmService } from '../alarms/alarm-service.ts';
import type { BackupService } from '../backup/backup-service.ts';
import type { FreeSpaceReader } from '../backup/disk.ts';
import type { Clock } from '../clock.ts';
import type { DeviceGateway } from '../ingest/gateway.ts';
import type { LiveChannel } from '../live/live-channel.ts';
import { DATABASE_FILE } from '../store/db.ts';
import { eventLoopDelay } from './event-loop-delay.ts';

export interface MetricsSources {
  gateway: DeviceGateway;
  live: LiveChannel;
  alarms: AlarmService;
  backups: BackupService;
  dataDir: string;
  freeSpace: FreeSpaceReader;
  clock: Clock;
  /** How many entries the server's long-lived maps hold now, by map: each must stay bounded over months. */
  heldInMemory: () => Record<string, number>;
}

const PRIORITIES = ['high', 'medium', 'low'] as const;

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * What the clinic's IT watches, in Prometheus text (`GET /metrics`). Counters move on each commit
 * (one call per batch, not per message); everything else is read when scraped.
 */
export function createMetrics(sources: MetricsSources): { registry: Registry; close(): void } {
  const registry = new Registry();
  // prom-client's own loop monitor is replaced by ours (it reports the sampling interval as lag): it
  // samples once a second, so that its timer costs next to nothing.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 1000 });
  const stopDelay = eventLoopDelay(registry);
  const { gateway, live, alarms, backups, dataDir } = sources;

  const messages = new Counter({ name: 'stipple_messages_stored_total', help: 'Device messages stored, by type', labelNames: ['type'], registers: [registry] });
  const dots = messages.labels('dot');
  const samples = messages.labels('tel');
  const incidents = new Counter({ name: 'stipple_device_incidents_total', help: 'Refused device messages and seq gaps', labelNames: ['kind'], registers: [registry] });
  const acks = new Counter({ name: 'stipple_acks_total', help: 'Acks sent to devices (one per device per commit)', registers: [registry] });
  const batch = new Histogram({
    name: 'stipple_group_commit_messages', help: 'Messages per group commit', registers: [registry],
    buckets: [1, 5, 10, 50, 100, 500, 1000, 2000],
  });
  const latency = new Histogram({
    name: 'stipple_group_commit_seconds', help: 'Time of one group commit, fsync included', registers: [registry],
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
  });
  const stopCounting = gateway.onCommitted((result) => {
    dots.inc(result.dots.length);
    samples.inc(result.samples);
    for (const incident of result.incidents) incidents.inc({ kind: incident.kind });
    acks.inc(result.devices.length);
    batch.observe(result.dots.length + result.samples + result.incidents.length);
    latency.observe(result.writeMs / 1000);
  });

  const gauge = (name: string, help: string, read: () => number | Promise<number>) =>
    new Gauge({ name, help, registers: [registry], async collect() { this.set(await read()); } });
  gauge('stipple_devices_online', 'Handpieces with an open, authenticated socket', () => gateway.registry.connections().length);
  gauge('stipple_live_clients', 'Browsers on the live channel', () => live.clientCount);
  let snapshotsCounted = 0;
  new Counter({
    name: 'stipple_live_snapshots_total', help: 'Snapshots sent to browsers (subscriptions and resynchronisations)', registers: [registry],
    collect() {
      this.inc(live.snapshotsSent - snapshotsCounted);
      snapshotsCounted = live.snapshotsSent;
    },
  });
  gauge('stipple_database_bytes', 'Size of the SQLite database file', () => fileBytes(join(dataDir, DATABASE_FILE)));
  gauge('stipple_wal_bytes', 'Size of the SQLite write-ahead log', () => fileBytes(join(dataDir, `${DATABASE_FILE}-wal`)));
  gauge('stipple_disk_free_bytes', 'Free space on the data disk', () => sources.freeSpace(dataDir).freeBytes);
  gauge('stipple_last_good_backup_age_seconds', 'Seconds since the newest verified backup (-1: none yet)', async () => {
    const last = (await backups.status()).lastGood;
    return last ? (sources.clock.now() - Date.parse(last.time)) / 1000 : -1;
  });
  new Gauge({
    name: 'stipple_held_in_memory', help: 'Entries in long-lived in-memory maps (devices, sessions, plans, operators)', labelNames: ['what'], registers: [registry],
    collect() {
      for (const [what, entries] of Object.entries(sources.heldInMemory())) this.set({ what }, entries);
    },
  });
  new Gauge({
    name: 'stipple_alarms_open', help: 'Open alarms by priority', labelNames: ['priority'], registers: [registry],
    collect() {
      const open = alarms.book.open();
      for (const priority of PRIORITIES) this.set({ priority }, open.filter((a) => a.priority === priority).length);
    },
  });

  return {
    registry,
    close() {
      stopCounting();
      stopDelay();
      registry.clear();
    },
  };
}
