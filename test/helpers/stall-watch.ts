import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * The longest the event loop was held during a run (the server, the simulator and the test share
 * it), as time on a clock running `speed` times real time: at 480× one 100 ms fsync on a busy disk
 * is 48 s of clinic time. A test on an accelerated clock allows decisions to come that late.
 */
export function stallWatch(speed: number) {
  const delays = monitorEventLoopDelay({ resolution: 10 });
  delays.enable();
  return {
    /** At least `ms`, or twice the worst stall: an order and the answer to it can each wait one. */
    allowance: (ms: number) => Math.max(ms, (2 * speed * delays.max) / 1e6),
    stop: () => delays.disable(),
  };
}
