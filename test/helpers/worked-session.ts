import type { HandCourse } from '../../device-sim/hand-course.ts';
import { HandpieceScript, type PlannedRegion } from '../../device-sim/handpiece-script.ts';
import { regionTargets } from '../../server/plans/plan-math.ts';
import { RawDevice } from './raw-device.ts';
import { chairWithDevice, type TestServer } from './server.ts';
import { playSession } from './accelerated-session.ts';

/** A clock the test moves: the server reads it, the handpiece's messages carry it. */
export interface TestClock {
  t: number;
  now(): number;
  scale: number;
}

export const testClock = (start: number): TestClock => ({ t: start, now() { return this.t; }, scale: 1 });

/** The baselines an operator's earlier, steady session left: an hour of normal-skin work. */
export function earlierBaselines() {
  return playSession({ seed: 99, scenario: 'steady', hours: 1.1 }).outlook.baselines();
}

/**
 * A chair whose session follows a fresh treatment's first plan, worked through a raw protocol-v1
 * handpiece by a simulated `hand`, as fast as the server takes it: the clock moves with the work.
 */
export async function workedChair(server: TestServer, clock: TestClock, options: { operatorId: string; patientRef: string; hand?: HandCourse }) {
  const { operatorId, patientRef, hand } = options;
  const ids = await chairWithDevice(server.api, 'Chair 2');
  const treatment = await server.api.createTreatment({ patientRef, sessions: 3 });
  const planId = treatment.plans[0]!.id;
  const session = await server.api.startSession({ chairId: ids.chairId, operatorId, patientRef, planId });
  const plan = await server.api.plan(planId);
  const targets = regionTargets(plan.regions);
  const regions: Record<string, PlannedRegion> = {};
  for (const [id, r] of Object.entries(plan.regions)) regions[id] = { target: targets[id]!, needles: r.needles, skin: r.skin, outline: r.outline };
  const { device } = await RawDevice.hello(server.deviceUrl, ids.deviceId, ids.token);
  let seq = 0;
  // The first sample alone, on time: the server reads the device's clock from it.
  device.send({ type: 'tel', seq: ++seq, ts: clock.t, cycleHz: 0, needles: 1, running: false, batteryPct: 90 });
  await device.acked(seq);
  const script = new HandpieceScript({ seed: 7, startAt: clock.t, telHz: 5, hand });
  script.followPlan(regions);

  /** Works `ms` more of session time, in the batches a handpiece would buffer (inhibits go unheeded). */
  async function work(ms: number): Promise<void> {
    const end = clock.t + ms;
    while (clock.t < end) {
      const until = Math.min(end, clock.t + 30_000);
      const messages = script.advance(until, false).map((e) =>
        e.kind === 'tel'
          ? { type: 'tel', seq: ++seq, ts: Math.round(e.at), cycleHz: e.cycleHz, needles: e.needles, running: e.running, batteryPct: e.batteryPct }
          : { type: 'dot', seq: ++seq, ts: Math.round(e.at), region: e.region, x: e.x, y: e.y, cycles: e.cycles, dwellMs: e.dwellMs, needles: e.needles },
      );
      clock.t = until;
      if (messages.length > 0) device.send(messages);
      await device.acked(seq);
    }
  }
  return { ...ids, session, device, work };
}
