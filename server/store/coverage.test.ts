import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CELL_COUNT, cellOf } from '../coverage/grid.ts';
import type { CoverageTally } from '../coverage/tally.ts';
import { openStore, type Store } from './index.ts';
import type { DotWrite, IngestBatch } from './ingest-writer.ts';
import type { Session } from './sessions.ts';

/** Two chairs: chair 0 has two handpieces (devices 0 and 1), chair 1 has one (device 2). */
const DEVICE_CHAIR = [0, 0, 1] as const;
const SLOT_MS = 1_000;
const PATIENT = 'P-1';

interface DotSpec {
  device: number;
  seq: number;
  madeAt: number;
  region: string;
  position: [number, number] | undefined;
}

interface SessionSpec {
  chair: number;
  patientRef: string;
}

interface Scenario {
  /** One session per time slot, in order; slot i runs from i·1 s + 100 ms to i·1 s + 900 ms. */
  sessions: SessionSpec[];
  /** Whether the last session is still open (it then holds every later dot of its chair). */
  lastOpen: boolean;
  dots: DotSpec[];
  /** Indices into dots, every dot at least once, resends mixed in, in delivery order. */
  deliveries: number[];
  /** How the deliveries are cut into batches, and whether the server restarts after each batch. */
  cuts: Array<{ size: number; restart: boolean }>;
}

const unit = fc.double({ min: 0, max: 1, noNaN: true });

const sessionsArb: fc.Arbitrary<{ sessions: SessionSpec[]; lastOpen: boolean }> = fc
  .record({
    ours: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 2, maxLength: 3 }),
    other: fc.option(fc.record({ chair: fc.integer({ min: 0, max: 1 }), slot: fc.nat({ max: 3 }) }), { nil: undefined }),
    lastOpen: fc.boolean(),
  })
  .map(({ ours, other, lastOpen }) => {
    const sessions: SessionSpec[] = ours.map((chair) => ({ chair, patientRef: PATIENT }));
    // Another patient's session, somewhere in between: never part of this patient's sums.
    if (other) sessions.splice(Math.min(other.slot, sessions.length), 0, { chair: other.chair, patientRef: 'P-2' });
    return { sessions, lastOpen };
  });

const scenarioArb: fc.Arbitrary<Scenario> = sessionsArb.chain(({ sessions, lastOpen }) =>
  fc
    .uniqueArray(
      fc.record({
        device: fc.integer({ min: 0, max: DEVICE_CHAIR.length - 1 }),
        seq: fc.integer({ min: 1, max: 400 }),
        // Before, inside, between and after the sessions.
        madeAt: fc.integer({ min: 0, max: sessions.length * SLOT_MS + 500 }),
        region: fc.constantFrom('crown', 'frontal', 'hairline', 'scar-strip', 'unassigned'),
        position: fc.option(fc.tuple(unit, unit), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 80, selector: (d) => `${d.device}:${d.seq}` },
    )
    .chain((dots) =>
      fc.array(fc.nat({ max: dots.length - 1 }), { maxLength: dots.length }).chain((resends) => {
        const all = [...dots.keys(), ...resends];
        return fc.record({
          sessions: fc.constant(sessions),
          lastOpen: fc.constant(lastOpen),
          dots: fc.constant(dots),
          deliveries: fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }),
          cuts: fc.array(fc.record({ size: fc.integer({ min: 1, max: 12 }), restart: fc.boolean() }), { maxLength: 20 }),
        });
      }),
    ),
);

interface Opened {
  key: number;
  spec: SessionSpec;
  session: Session;
}

/** Chairs, devices, the patient's treatment and sessions, created through the store's own repositories. */
function setUp(store: Store, scenario: Scenario) {
  const chairs = [store.chairs.create('Chair 1', 0), store.chairs.create('Chair 2', 0)];
  const treatment = store.plans.create({
    patientRef: PATIENT, sessions: 3, headScale: 1, reference: 'caucasian', createdAt: 0,
    plans: [1, 2, 3].map(() => ({ template: 'first' as const, regions: {} })),
  });
  const devices = DEVICE_CHAIR.map((chair, i) =>
    store.devices.create({ chairId: chairs[chair]!.id, name: `HP ${i}`, tokenHash: Buffer.alloc(32), now: 0 }),
  );
  let planned = 0;
  const opened: Opened[] = scenario.sessions.map((spec, slot) => {
    // The patient's sessions follow the treatment's plans in turn; another patient's follows none.
    const planId = spec.patientRef === PATIENT ? treatment.plans[planned++ % treatment.plans.length]!.id : null;
    const started = store.sessions.start({
      chairId: chairs[spec.chair]!.id, operatorId: 'op', patientRef: spec.patientRef, planId, startedAt: slot * SLOT_MS + 100,
    });
    const last = slot === scenario.sessions.length - 1;
    const session = last && scenario.lastOpen ? started : store.sessions.end(started.id, slot * SLOT_MS + 900)!;
    return { key: session.key, spec, session };
  });
  return { chairs, devices, opened, treatment };
}

/** The session a dot belongs to, worked out plainly from the spans: its chair's session open when it was made. */
function sessionOfDot(dot: DotSpec, opened: readonly Opened[]): Opened | undefined {
  return opened.find(
    ({ spec, session }) =>
      spec.chair === DEVICE_CHAIR[dot.device] && session.startedAt <= dot.madeAt && (session.endedAt === null || dot.madeAt < session.endedAt),
  );
}

/** A plain recount of distinct dots: per region and per cell. */
function recount(dots: Iterable<DotSpec>) {
  const regions: Record<string, number> = {};
  const cells = new Array<number>(CELL_COUNT).fill(0);
  let total = 0;
  for (const dot of dots) {
    regions[dot.region] = (regions[dot.region] ?? 0) + 1;
    total += 1;
    if (dot.position) cells[cellOf(dot.position[0], dot.position[1])]! += 1;
  }
  return { total, regions, cells };
}

function read(tally: CoverageTally) {
  return { total: tally.total, regions: Object.fromEntries(tally.regions), cells: [...tally.cells] };
}

function sum(tallies: ReadonlyArray<ReturnType<typeof read>>) {
  const regions: Record<string, number> = {};
  const cells = new Array<number>(CELL_COUNT).fill(0);
  let total = 0;
  for (const t of tallies) {
    total += t.total;
    for (const [region, n] of Object.entries(t.regions)) regions[region] = (regions[region] ?? 0) + n;
    t.cells.forEach((n, cell) => (cells[cell]! += n));
  }
  return { total, regions, cells };
}

describe('coverage counts kept beside the dots, in a real SQLite file', () => {
  it('are never lost or doubled, whatever the order of dots, the resends and the restarts; cumulative and whole-treatment counts equal the sum of sessions', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const dir = mkdtempSync(join(tmpdir(), 'stipple-coverage-'));
        let store = openStore(dir);
        try {
          const { chairs, devices, opened, treatment } = setUp(store, scenario);
          const write = (spec: DotSpec): DotWrite => ({
            deviceKey: devices[spec.device]!.key,
            deviceId: devices[spec.device]!.id,
            chairId: chairs[DEVICE_CHAIR[spec.device]!]!.id,
            seq: spec.seq,
            madeAt: spec.madeAt,
            region: spec.region,
            x: spec.position?.[0],
            y: spec.position?.[1],
            cycles: 18,
            dwellMs: 150,
            needles: 3,
          });
          const delivered = new Set<number>();

          const check = () => {
            const seen = [...delivered].map((i) => scenario.dots[i]!);
            for (const session of opened) {
              const expected = recount(seen.filter((d) => sessionOfDot(d, opened) === session));
              expect(read(store.coverage.session(session.key))).toEqual(expected);
              expect(store.sessions.dotCounts(session.key)).toEqual({ total: expected.total, byRegion: expected.regions });
            }
            expect(store.db.prepare('SELECT count(*) AS n FROM dots').get()).toEqual({ n: delivered.size });
          };

          let next = 0;
          const batches = [...scenario.cuts, { size: Infinity, restart: true }];
          for (const cut of batches) {
            const picked = scenario.deliveries.slice(next, next + cut.size);
            next += picked.length;
            const dots = picked.map((i) => write(scenario.dots[i]!));
            const progress = devices.flatMap((device) => {
              const seqs = dots.filter((d) => d.deviceKey === device.key).map((d) => d.seq);
              return seqs.length > 0 ? [{ deviceKey: device.key, lastSeq: Math.max(...seqs), clockOffsetMs: null }] : [];
            });
            const batch: IngestBatch = { dots, samples: [], incidents: [], progress };
            const stored = store.ingest.write(batch);
            // What the writer reports as stored is exactly what it had not seen before.
            const fresh = [...new Set(picked)].filter((i) => !delivered.has(i));
            expect(stored.map((d) => `${d.deviceKey}:${d.seq}`).sort()).toEqual(fresh.map((i) => `${devices[scenario.dots[i]!.device]!.key}:${scenario.dots[i]!.seq}`).sort());
            for (const i of picked) delivered.add(i);
            if (cut.restart) {
              store.close();
              store = openStore(dir);
              check();
            }
          }
          expect(delivered.size).toBe(scenario.dots.length);

          // Each device's watermark is the highest seq it delivered.
          devices.forEach((device, i) => {
            const seqs = scenario.dots.filter((d) => d.device === i).map((d) => d.seq);
            expect(store.devices.get(device.id)!.lastSeq).toBe(seqs.length > 0 ? Math.max(...seqs) : 0);
          });

          // Cumulative: for each of the patient's sessions, the earlier ones summed.
          const ours = opened.filter((o) => o.spec.patientRef === PATIENT);
          ours.forEach((session, i) => {
            const earlier = read(store.coverage.earlier(PATIENT, session.session));
            expect(earlier).toEqual(sum(ours.slice(0, i).map((o) => read(store.coverage.session(o.key)))));
            const byRecount = recount(scenario.dots.filter((d) => ours.slice(0, i).includes(sessionOfDot(d, opened)!)));
            expect(earlier).toEqual(byRecount);
          });
          // The whole treatment: every session of its plans, done or open, and nobody else's.
          const whole = read(store.coverage.treatment(treatment.id));
          expect(whole).toEqual(sum(ours.map((o) => read(store.coverage.session(o.key)))));
          expect(whole).toEqual(recount(scenario.dots.filter((d) => ours.includes(sessionOfDot(d, opened)!))));
        } finally {
          store.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
  });
});
