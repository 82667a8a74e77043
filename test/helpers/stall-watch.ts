import { monitorEventLoopDelay } from 'node:perf_hooks';

const SAMPLE_EVERY_MS = 10;

/**
 * The longest the event loop was held during a run (the server, the simulator and the test share
 * it), as time on a clock running `speed` times real time: at 480× one 100 ms fsync on a busy disk
 * is 48 s of clinic time. A test on an accelerated clock allows decisions to come that late.
 */
export function stallWatch(speed: number) {
  const delays = monitorEventLoopDelay({ resolution: SAMPLE_EVERY_MS });
  delays.enable();
  // The monitor records the whole time between its timer's runs: the stall is what exceeds the interval.
  const worstStallMs = () => Math.max(0, delays.max / 1e6 - SAMPLE_EVERY_MS);
  return {
    /** At least `ms`, or twice the worst stall: an order and the answer to it can each wait one. */
    allowance: (ms: number) => Math.max(ms, 2 * speed * worstStallMs()),
    stop: () => delays.disable(),
  };
}
