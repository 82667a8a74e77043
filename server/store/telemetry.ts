import type { Db } from './db.ts';

export interface TelemetrySecond {
  second: number;
  samples: number;
  runningSamples: number;
  hzAvg: number;
  hzMin: number;
  hzMax: number;
  needles: number;
  batteryPct: number | null;
}

export function telemetryStore(db: Db) {
  const range = db.prepare<[number, number, number], TelemetrySecond>(
    `SELECT second, samples, running_samples AS runningSamples, hz_sum / samples AS hzAvg,
       hz_min AS hzMin, hz_max AS hzMax, needles, battery_pct AS batteryPct
     FROM telemetry_seconds WHERE device_key = ? AND second >= ? AND second < ? ORDER BY second`,
  );
  const deviceKeys = db.prepare<[], { key: number }>('SELECT key FROM devices');
  // Per device, so that each delete walks the primary key instead of scanning the table.
  const prune = db.prepare('DELETE FROM telemetry_seconds WHERE device_key = ? AND second < ?');

  return {
    seconds: (deviceKey: number, from: number, to: number): TelemetrySecond[] =>
      range.all(deviceKey, Math.floor(from / 1000), Math.ceil(to / 1000)),
    /** Drops telemetry older than `before` (ms); returns how many second-rows went. */
    pruneBefore(before: number): number {
      const second = Math.floor(before / 1000);
      let removed = 0;
      for (const { key } of deviceKeys.all()) removed += prune.run(key, second).changes;
      return removed;
    },
  };
}

export type TelemetryStore = ReturnType<typeof telemetryStore>;
