import { afterEach, describe, expect, it } from 'vitest';
import { dot, RawDevice, tel } from './helpers/raw-device.ts';
import { ADMIN_TOKEN, chairWithDevice, startTestServer, type TestServer } from './helpers/server.ts';

const METRICS_TOKEN = 'metrics-only-token-0123456789';
let server: TestServer;
afterEach(async () => {
  await server.dispose();
});

type Samples = Map<string, number>;

/**
 * Reads the Prometheus text exposition format strictly: every line a comment (# HELP / # TYPE) or
 * `name{labels} value`; a line of any other shape fails the test.
 */
function parsePrometheus(text: string): Samples {
  const samples: Samples = new Map();
  const typed = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      typed.add(type[1]!);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$/.test(line)) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    expect(sample, `not Prometheus text: ${line}`).not.toBeNull();
    const name = sample![1]!;
    expect([...typed].some((t) => name === t || name.startsWith(`${t}_`)), `${name} has no TYPE`).toBe(true);
    samples.set(`${name}${sample![2] ?? ''}`, Number(sample![3]));
  }
  return samples;
}

async function scrape(token = ADMIN_TOKEN): Promise<Samples> {
  const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(await response.text());
}

describe('metrics for the clinic\'s IT', () => {
  it('parse as Prometheus text, and the ingest counters move with traffic', async () => {
    server = await startTestServer({ metricsToken: METRICS_TOKEN });
    const ids = await chairWithDevice(server.api);
    const before = await scrape();
    expect(before.get('stipple_devices_online')).toBe(0);
    expect(before.get('stipple_messages_stored_total{type="dot"}') ?? 0).toBe(0);

    const { device } = await RawDevice.hello(server.deviceUrl, ids.deviceId, ids.token);
    for (let seq = 1; seq <= 30; seq++) device.send(seq % 3 === 0 ? dot(seq) : tel(seq));
    device.send({ type: 'dot', seq: 31, ts: Date.now(), cycles: 0 });
    await device.acked(31);

    const after = await scrape(METRICS_TOKEN);
    expect(after.get('stipple_devices_online')).toBe(1);
    expect(after.get('stipple_messages_stored_total{type="dot"}')).toBe(10);
    expect(after.get('stipple_messages_stored_total{type="tel"}')).toBe(20);
    expect(after.get('stipple_device_incidents_total{kind="refused"}')).toBe(1);
    expect(after.get('stipple_acks_total')).toBeGreaterThanOrEqual(1);
    expect(after.get('stipple_group_commit_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(after.get('stipple_database_bytes')).toBeGreaterThan(0);
    expect(after.get('stipple_disk_free_bytes')).toBeGreaterThan(0);
    expect(after.get('stipple_alarms_open{priority="high"}')).toBe(0);
    expect(after.get('stipple_last_good_backup_age_seconds')).toBe(-1);
    expect(after.has('stipple_event_loop_delay_seconds{stat="p99"}')).toBe(true);
    device.close();
  });

  it('are refused without a token, and the metrics token opens nothing else', async () => {
    server = await startTestServer({ metricsToken: METRICS_TOKEN });
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    expect((await server.request('GET', '/api/chairs', undefined, METRICS_TOKEN)).status).toBe(401);
  });
});
