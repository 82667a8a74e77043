import { Simulator, type Scenario, type SimulatorOptions } from '../../device-sim/simulator.ts';
import type { AlarmEvent, AlarmView, Condition } from '../../server/protocol/alarms.ts';
import type { BreakPolicy } from '../../server/protocol/breaks.ts';
import { ADMIN_TOKEN, startTestServer, waitFor, type TestServer } from './server.ts';

/** The clocks run this many times faster than real time, unless a scenario asks for another speed. */
export const SPEED = 120;

export interface ScenarioOptions {
  policy?: BreakPolicy;
  /** Slower for faults whose timing real-time jitter would blur at SPEED (a drop of 8 s is 67 ms at 120×). */
  speed?: number;
  sim?: Partial<SimulatorOptions>;
}

export interface PlayedScenario {
  target: TestServer;
  startedAt: number;
  /** What the server saw of the handpiece, on its clock: when the link went and came back, when each sample and each dot was made. */
  links: Array<{ online: boolean; at: number }>;
  samples: Array<{ at: number; running: boolean }>;
  dots: number[];
}

/**
 * One chair following its plan, its operator playing `scenario` against the real server (the
 * simulation starts a moment before the session opens, and the handpiece fires once released: at
 * 120× on a loaded machine, some seconds of clock time; what the server saw times a fault from the
 * fault itself). `defer`
 * is handed what to undo after the test (the server, the simulator).
 */
export async function alarmScenario(name: Scenario, defer: (step: () => Promise<unknown>) => void, options: ScenarioOptions = {}): Promise<PlayedScenario> {
  const speed = options.speed ?? SPEED;
  const target = await startTestServer({ timeScale: speed, breaks: { tickMs: 10 }, alarms: { tickMs: 10 } });
  defer(() => target.dispose());
  const links: PlayedScenario['links'] = [];
  const samples: PlayedScenario['samples'] = [];
  const dots: number[] = [];
  target.hub.on('device', ({ online, at }) => links.push({ online, at }));
  target.hub.on('sample', ({ madeAt, running }) => samples.push({ at: madeAt, running }));
  target.hub.on('dots', (batch) => dots.push(...batch.dots.map((d) => d.madeAt)));
  if (options.policy) {
    const response = await target.request('PUT', '/api/breaks/policy', options.policy);
    if (response.status !== 200) throw new Error(`the break policy was refused: ${response.status}`);
  }
  const simulator = await Simulator.start({
    serverUrl: target.url, adminToken: ADMIN_TOKEN, chairs: 1, speed, seed: 7, scenario: name, telHz: 2, tickMs: 10,
    startSessions: true, deviceClock: 'virtual', ...options.sim,
  });
  defer(() => simulator.stop());
  const [chair] = await target.api.chairs();
  return { target, startedAt: chair!.session!.startedAt, links, samples, dots };
}

export const alarmsOf = (target: TestServer, condition: Condition): AlarmView[] =>
  target.store.alarms.history({ from: 0, to: Number.MAX_SAFE_INTEGER, condition });

/** The alarm of `condition`, once raised; fails if it is not within `virtualMs` of clock time. */
export async function raised(target: TestServer, condition: Condition, virtualMs: number, speed = SPEED): Promise<AlarmView> {
  return waitFor(() => alarmsOf(target, condition)[0], (virtualMs / speed) * 4 + 3_000, `a ${condition} alarm`);
}

/** Lets `virtualMs` of clock time pass. */
export const play = (virtualMs: number, speed = SPEED) => new Promise((resolve) => setTimeout(resolve, virtualMs / speed));

export const changes = (target: TestServer, alarm: AlarmView): AlarmEvent['change'][] => target.store.alarms.events(alarm.id).map((e) => e.change);
