import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Gauge, type Registry } from 'prom-client';

/** How often the monitor's timer samples the loop. */
export const SAMPLE_EVERY_MS = 20;

/** prom-client's readings of its own monitor, which this one replaces. */
export const PROM_CLIENT_LAG_READINGS = ['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99'].map((stat) => `nodejs_eventloop_lag_${stat}_seconds`);

/**
 * How late the event loop ran, between two scrapes (`stat` p50, p99, max). Node's monitor records
 * the whole time between its timer's runs, so an idle loop reads as the sampling interval itself
 * (nodejs/node#62935); prom-client publishes those readings as they are, and an idle box showed a
 * 20 ms "lag". The delay is what is left once the interval is taken off.
 */
export function eventLoopDelay(registry: Registry): () => void {
  for (const name of PROM_CLIENT_LAG_READINGS) registry.removeSingleMetric(name);
  const histogram = monitorEventLoopDelay({ resolution: SAMPLE_EVERY_MS });
  histogram.enable();
  const seconds = (recordedNs: number) => Math.max(0, recordedNs / 1e6 - SAMPLE_EVERY_MS) / 1000;
  new Gauge({
    name: 'stipple_event_loop_delay_seconds',
    help: `How late the event loop ran a timer due every ${SAMPLE_EVERY_MS} ms, since the last scrape`,
    labelNames: ['stat'],
    registers: [registry],
    collect() {
      const sampled = histogram.count > 0;
      this.set({ stat: 'p50' }, sampled ? seconds(histogram.percentile(50)) : 0);
      this.set({ stat: 'p99' }, sampled ? seconds(histogram.percentile(99)) : 0);
      this.set({ stat: 'max' }, sampled ? seconds(histogram.max) : 0);
      histogram.reset();
    },
  });
  return () => histogram.disable();
}
