/**
 * `npm run bench` (part 2): what keeping coverage costs per dot as a session grows, against the
 * baseline of recounting from the stored dots — the cost a coverage engine without incremental
 * counts would pay. Both run on a real SQLite file, in the same run.
 */
import { rmSync } from 'node:fs';
import { CoverageTally } from '../../server/coverage/tally.ts';
import { GuidanceRules } from '../../server/guidance/rules.ts';
import { defaultGuidanceSettings } from '../../server/protocol/guidance.ts';
import { STANDARD_REGIONS } from '../../server/protocol/v1.ts';
import { openStore } from '../../server/store/index.ts';
import type { DotWrite } from '../../server/store/ingest-writer.ts';
import { tempDir } from '../helpers/server.ts';

const BATCH = 500;
const CHECKPOINTS = [0, 50_000, 200_000, 400_000];
const MEASURED_BATCHES = 20;

const dir = tempDir('stipple-bench-coverage-');
const store = openStore(dir);
const chair = store.chairs.create('Bench', 0);
const device = store.devices.create({ chairId: chair.id, name: 'HP', tokenHash: Buffer.alloc(32), now: 0 });
const session = store.sessions.start({ chairId: chair.id, operatorId: 'op', patientRef: 'P-1', planId: null, startedAt: 0 });

let seq = 0;
function dots(n: number): DotWrite[] {
  return Array.from({ length: n }, () => {
    seq += 1;
    return {
      deviceKey: device.key, deviceId: device.id, chairId: chair.id, seq, madeAt: seq,
      region: STANDARD_REGIONS[seq % STANDARD_REGIONS.length]!, x: Math.random(), y: Math.random(),
      cycles: 18, dwellMs: 150, needles: 3,
    };
  });
}

const tally = new CoverageTally();
const rules = new GuidanceRules(defaultGuidanceSettings);
const write = (batch: DotWrite[]) => store.ingest.write({ dots: batch, samples: [], incidents: [], progress: [] });
/** What the tracker does per stored dot: the in-memory tally and the guidance rules. */
function inMemory(batch: DotWrite[]) {
  for (const dot of batch) {
    tally.add(dot);
    rules.check({ sessionId: session.id, operatorId: 'op', dot, planned: { needles: 3, skin: 'normal' }, done: tally.region(dot.region), target: 1e9 });
  }
}
/** What the server does per batch: the transaction that stores the dots with their counts, then the tracker. */
function incremental(batch: DotWrite[]) {
  inMemory(write(batch));
}

const recountRegions = store.db.prepare('SELECT region, count(*) AS n FROM dots WHERE session_key = ? GROUP BY region');
const recountCells = store.db.prepare(
  'SELECT min(39, CAST(y * 40 AS INTEGER)) * 40 + min(39, CAST(x * 40 AS INTEGER)) AS cell, count(*) AS n FROM dots WHERE session_key = ? GROUP BY cell',
);
/** The baseline: store the batch, then recount the session's coverage from its dots. */
function recount(batch: DotWrite[]) {
  store.ingest.write({ dots: batch, samples: [], incidents: [], progress: [] });
  recountRegions.all(session.key);
  recountCells.all(session.key);
}

/** Times `step` over fresh batches; returns µs per dot. */
function microsPerDot(step: (batch: DotWrite[]) => void, batches = Array.from({ length: MEASURED_BATCHES }, () => dots(BATCH))): number {
  const start = process.hrtime.bigint();
  for (const batch of batches) step(batch);
  return Number(process.hrtime.bigint() - start) / 1000 / (batches.length * BATCH);
}

const cell = (v: string) => v.padStart(22);
process.stdout.write(`\nCoverage cost per dot as the session grows (${BATCH}-dot batches, node ${process.version})\n`);
process.stdout.write(`  dots in session |${cell('tally + guidance')} |${cell('store with counts')} |${cell('baseline: recount')}\n`);
for (const checkpoint of CHECKPOINTS) {
  while (seq < checkpoint) incremental(dots(BATCH));
  const batches = Array.from({ length: MEASURED_BATCHES }, () => dots(BATCH));
  const stored = batches.map(write);
  const memory = microsPerDot(inMemory, stored);
  const stores = microsPerDot(write);
  const base = microsPerDot(recount);
  const us = (n: number) => cell(`${n.toFixed(2)} µs/dot`);
  process.stdout.write(`  ${checkpoint.toLocaleString('en').padStart(15)} |${us(memory)} |${us(stores)} |${us(base)}\n`);
}
store.close();
rmSync(dir, { recursive: true, force: true });
