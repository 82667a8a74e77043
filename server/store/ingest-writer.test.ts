import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './index.ts';
import type { DotWrite, IngestBatch, SampleWrite } from './ingest-writer.ts';

let dir: string;
let store: Store;
let origin: { deviceKey: number; deviceId: string; chairId: string };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stipple-store-'));
  store = openStore(dir);
  const chair = store.chairs.create('Chair 1', 0);
  const device = store.devices.create({ chairId: chair.id, name: 'HP', tokenHash: Buffer.alloc(32), now: 0 });
  origin = { deviceKey: device.key, deviceId: device.id, chairId: chair.id };
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const dot = (seq: number, madeAt: number, region = 'crown'): DotWrite => ({
  ...origin, seq, madeAt, region, x: 0.5, y: 0.7, cycles: 18, dwellMs: 150, needles: 3,
});
const sample = (madeAt: number, cycleHz: number): SampleWrite => ({ ...origin, madeAt, cycleHz, needles: 3, running: true, batteryPct: 80 });
const batch = (part: Partial<IngestBatch>): IngestBatch => ({ dots: [], samples: [], incidents: [], progress: [], ...part });

describe('writing a group commit', () => {
  it('a dot goes to the session whose span holds the moment it was made, or to none', () => {
    const first = store.sessions.start({ chairId: origin.chairId, operatorId: 'op', patientRef: 'P-1', planId: null, startedAt: 1_000 });
    store.sessions.end(first.id, 2_000);
    const second = store.sessions.start({ chairId: origin.chairId, operatorId: 'op', patientRef: 'P-2', planId: null, startedAt: 3_000 });
    const stored = store.ingest.write(batch({ dots: [dot(1, 500), dot(2, 1_500), dot(3, 2_000), dot(4, 3_500)] }));
    expect(stored.map((d) => d.sessionId)).toEqual([null, first.id, null, second.id]);
    expect(store.sessions.dotCounts(first.key)).toEqual({ total: 1, byRegion: { crown: 1 } });
    expect(store.sessions.dotCounts(second.key)).toEqual({ total: 1, byRegion: { crown: 1 } });
  });

  it('the same dot written twice is stored and counted once', () => {
    const session = store.sessions.start({ chairId: origin.chairId, operatorId: 'op', patientRef: 'P-1', planId: null, startedAt: 0 });
    store.ingest.write(batch({ dots: [dot(1, 10, 'frontal'), dot(2, 20)] }));
    const again = store.ingest.write(batch({ dots: [dot(2, 20), dot(3, 30)] }));
    expect(again.map((d) => d.seq)).toEqual([3]);
    expect(store.sessions.dotCounts(session.key)).toEqual({ total: 3, byRegion: { crown: 2, frontal: 1 } });
  });

  it('telemetry of one second folds into one row with its count, min, mean and max', () => {
    store.ingest.write(batch({ samples: [sample(5_000, 110), sample(5_300, 130), sample(5_900, 120), sample(6_100, 140)] }));
    const rows = store.telemetry.seconds(origin.deviceKey, 0, 10_000);
    expect(rows).toEqual([
      expect.objectContaining({ second: 5, samples: 3, hzMin: 110, hzMax: 130, hzAvg: 120 }),
      expect.objectContaining({ second: 6, samples: 1, hzMin: 140, hzMax: 140 }),
    ]);
  });

  it('moves the device watermark with the data and never lowers it', () => {
    store.ingest.write(batch({ progress: [{ deviceKey: origin.deviceKey, lastSeq: 9, clockOffsetMs: 4 }] }));
    store.ingest.write(batch({ progress: [{ deviceKey: origin.deviceKey, lastSeq: 3, clockOffsetMs: null }] }));
    expect(store.devices.get(origin.deviceId)).toMatchObject({ lastSeq: 9, clockOffsetMs: 4 });
  });

  it('is all or nothing: a batch that fails midway stores none of its dots', () => {
    const bad = batch({
      dots: [dot(1, 10)],
      incidents: [{ ...origin, kind: 'nonsense' as 'gap', seq: 1, seqTo: 1, detail: '', at: 0 }],
      progress: [{ deviceKey: origin.deviceKey, lastSeq: 1, clockOffsetMs: null }],
    });
    expect(() => store.ingest.write(bad)).toThrow(/CHECK/);
    expect(store.db.prepare('SELECT count(*) AS n FROM dots').get()).toEqual({ n: 0 });
    expect(store.devices.get(origin.deviceId)!.lastSeq).toBe(0);
  });

  it('old telemetry is pruned, device by device', () => {
    store.ingest.write(batch({ samples: [sample(1_000, 120), sample(90_000, 120)] }));
    expect(store.telemetry.pruneBefore(60_000)).toBe(1);
    expect(store.telemetry.seconds(origin.deviceKey, 0, 100_000).map((r) => r.second)).toEqual([90]);
  });
});
