import { cellOf } from '../coverage/grid.ts';
import type { Db } from './db.ts';

/** Who a record came from: the key is stored, the ids travel on to the live views. */
interface Origin {
  deviceKey: number;
  deviceId: string;
  chairId: string;
}

export interface DotWrite extends Origin {
  seq: number;
  /** When the dot was made, in server time (the device's ts corrected by its clock offset). */
  madeAt: number;
  region: string;
  x: number | undefined;
  y: number | undefined;
  cycles: number;
  dwellMs: number;
  needles: number;
}

export interface SampleWrite extends Origin {
  madeAt: number;
  cycleHz: number;
  needles: number;
  running: boolean;
  batteryPct: number | undefined;
}

export interface IncidentWrite extends Origin {
  kind: 'refused' | 'gap';
  seq: number | null;
  seqTo: number | null;
  detail: string;
  at: number;
}

/** Where a device stands after this batch: its highest handled seq and its clock offset estimate. */
export interface DeviceProgress {
  deviceKey: number;
  lastSeq: number;
  clockOffsetMs: number | null;
}

export interface IngestBatch {
  dots: DotWrite[];
  samples: SampleWrite[];
  incidents: IncidentWrite[];
  progress: DeviceProgress[];
}

export interface StoredDot extends DotWrite {
  sessionId: string | null;
}

interface SessionSpan {
  key: number;
  id: string;
  startedAt: number;
  endedAt: number | null;
}

/**
 * Writes one group commit: everything a batch holds, in one transaction, so that the seq
 * watermark of each device moves together with the data it covers (that is what makes a resend
 * after a crash harmless).
 */
export function ingestWriter(db: Db) {
  const sessionAt = db.prepare<[string, number, number], SessionSpan>(
    `SELECT key, id, started_at AS startedAt, ended_at AS endedAt FROM sessions
     WHERE chair_id = ? AND started_at <= ? AND (ended_at IS NULL OR ended_at > ?)
     ORDER BY started_at DESC LIMIT 1`,
  );
  const insertDot = db.prepare(
    `INSERT OR IGNORE INTO dots (device_key, seq, made_at, session_key, region, x, y, cycles, dwell_ms, needles)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const addCount = db.prepare(
    `INSERT INTO session_region_counts (session_key, region, dots) VALUES (?, ?, ?)
     ON CONFLICT (session_key, region) DO UPDATE SET dots = dots + excluded.dots`,
  );
  const addCellCount = db.prepare(
    `INSERT INTO session_cells (session_key, cell, dots) VALUES (?, ?, ?)
     ON CONFLICT (session_key, cell) DO UPDATE SET dots = dots + excluded.dots`,
  );
  const foldSecond = db.prepare(
    `INSERT INTO telemetry_seconds
       (device_key, second, samples, running_samples, hz_sum, hz_min, hz_max, needles, battery_pct)
     VALUES (@deviceKey, @second, @samples, @runningSamples, @hzSum, @hzMin, @hzMax, @needles, @batteryPct)
     ON CONFLICT (device_key, second) DO UPDATE SET
       samples = samples + excluded.samples,
       running_samples = running_samples + excluded.running_samples,
       hz_sum = hz_sum + excluded.hz_sum,
       hz_min = min(hz_min, excluded.hz_min),
       hz_max = max(hz_max, excluded.hz_max),
       needles = excluded.needles,
       battery_pct = coalesce(excluded.battery_pct, battery_pct)`,
  );
  const insertIncident = db.prepare(
    'INSERT INTO device_incidents (device_key, kind, seq, seq_to, detail, at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const advance = db.prepare(
    'UPDATE devices SET last_seq = max(last_seq, ?), clock_offset_ms = coalesce(?, clock_offset_ms) WHERE key = ?',
  );

  const write = db.transaction((batch: IngestBatch): StoredDot[] => {
    const stored: StoredDot[] = [];
    const counts = new Map<number, Map<string, number>>();
    const cellCounts = new Map<number, Map<number, number>>();
    const spans = new Map<string, SessionSpan | undefined>();

    for (const dot of batch.dots) {
      const session = sessionFor(dot.chairId, dot.madeAt, spans);
      const sessionKey = session?.key ?? null;
      const inserted = insertDot.run(
        dot.deviceKey, dot.seq, dot.madeAt, sessionKey, dot.region,
        dot.x ?? null, dot.y ?? null, dot.cycles, dot.dwellMs, dot.needles,
      ).changes;
      if (inserted === 0) continue;
      if (sessionKey !== null) {
        const perRegion = counts.get(sessionKey) ?? new Map<string, number>();
        perRegion.set(dot.region, (perRegion.get(dot.region) ?? 0) + 1);
        counts.set(sessionKey, perRegion);
        if (dot.x !== undefined && dot.y !== undefined) {
          const perCell = cellCounts.get(sessionKey) ?? new Map<number, number>();
          const cell = cellOf(dot.x, dot.y);
          perCell.set(cell, (perCell.get(cell) ?? 0) + 1);
          cellCounts.set(sessionKey, perCell);
        }
      }
      stored.push({ ...dot, sessionId: session?.id ?? null });
    }
    for (const [sessionKey, perRegion] of counts) {
      for (const [region, n] of perRegion) addCount.run(sessionKey, region, n);
    }
    for (const [sessionKey, perCell] of cellCounts) {
      for (const [cell, n] of perCell) addCellCount.run(sessionKey, cell, n);
    }
    for (const row of foldSamples(batch.samples)) foldSecond.run(row);
    for (const i of batch.incidents) insertIncident.run(i.deviceKey, i.kind, i.seq, i.seqTo, i.detail, i.at);
    for (const p of batch.progress) advance.run(p.lastSeq, p.clockOffsetMs, p.deviceKey);
    return stored;
  });

  /** Dots of one chair come in runs within one session: look the session up once per run. */
  function sessionFor(chairId: string, at: number, spans: Map<string, SessionSpan | undefined>) {
    const cached = spans.get(chairId);
    if (cached && cached.startedAt <= at && (cached.endedAt === null || at < cached.endedAt)) return cached;
    const found = sessionAt.get(chairId, at, at);
    spans.set(chairId, found);
    return found;
  }

  return { write };
}

export type IngestWriter = ReturnType<typeof ingestWriter>;

interface SecondRow {
  deviceKey: number;
  second: number;
  samples: number;
  runningSamples: number;
  hzSum: number;
  hzMin: number;
  hzMax: number;
  needles: number;
  batteryPct: number | null;
}

/** Folds samples into one row per device per second before they touch the database. */
function foldSamples(samples: readonly SampleWrite[]): SecondRow[] {
  const rows: SecondRow[] = [];
  const byDevice = new Map<number, Map<number, SecondRow>>();
  for (const s of samples) {
    const second = Math.floor(s.madeAt / 1000);
    let seconds = byDevice.get(s.deviceKey);
    if (!seconds) byDevice.set(s.deviceKey, (seconds = new Map()));
    const row = seconds.get(second);
    if (row) {
      row.samples += 1;
      row.runningSamples += s.running ? 1 : 0;
      row.hzSum += s.cycleHz;
      row.hzMin = Math.min(row.hzMin, s.cycleHz);
      row.hzMax = Math.max(row.hzMax, s.cycleHz);
      row.needles = s.needles;
      row.batteryPct = s.batteryPct ?? row.batteryPct;
    } else {
      const fresh: SecondRow = {
        deviceKey: s.deviceKey, second, samples: 1, runningSamples: s.running ? 1 : 0,
        hzSum: s.cycleHz, hzMin: s.cycleHz, hzMax: s.cycleHz, needles: s.needles,
        batteryPct: s.batteryPct ?? null,
      };
      seconds.set(second, fresh);
      rows.push(fresh);
    }
  }
  return rows;
}
