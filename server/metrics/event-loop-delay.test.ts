import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { eventLoopDelay, PROM_CLIENT_LAG_READINGS } from './event-loop-delay.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const stops: Array<() => void> = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

async function delays(registry: Registry): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('stipple_event_loop_delay_seconds')!.get();
  return Object.fromEntries(metric.values.map((v) => [v.labels.stat, v.value * 1000]));
}

describe('the event-loop delay on /metrics', () => {
  it('reads near zero on an idle loop, not the 20 ms the sampling timer waits between runs', async () => {
    const registry = new Registry();
    stops.push(eventLoopDelay(registry));
    await sleep(400);
    const idle = await delays(registry);
    // Node's own readings of the same idle loop sit at 20 ms and more.
    expect(idle.p50).toBeLessThan(15);
  });

  it('shows a loop held busy, and starts afresh at each scrape', async () => {
    const registry = new Registry();
    stops.push(eventLoopDelay(registry));
    await sleep(100);
    const until = performance.now() + 300;
    while (performance.now() < until);
    await sleep(60);
    const busy = await delays(registry);
    expect(busy.max).toBeGreaterThan(250);
    await sleep(200);
    expect((await delays(registry)).max).toBeLessThan(150);
  });

  it('takes the place of prom-client\'s readings of its own monitor', async () => {
    const { collectDefaultMetrics } = await import('prom-client');
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 1000 });
    stops.push(eventLoopDelay(registry));
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
    for (const name of PROM_CLIENT_LAG_READINGS) expect(names).not.toContain(name);
    expect(names).toContain('stipple_event_loop_delay_seconds');
  });
});
