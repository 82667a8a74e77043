import { afterEach, describe, expect, it } from 'vitest';
import { alarmSettings, CONDITIONS, defaultAlarmSettings, type AlarmChange, type AlarmView, type Condition } from '../../server/protocol/alarms.ts';
import { localDay as dayOf } from '../../server/protocol/days.ts';
import { signIn } from '../helpers/browser.ts';
import { browserSuite, screenshots, webRoot } from '../helpers/browser-suite.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';


const MIN = 60_000;

const suite = browserSuite();
let server: TestServer;
afterEach(async () => {
  await server.dispose();
});

async function storedSettings() {
  const response = await server.request('GET', '/api/alarms/settings');
  expect(response.status).toBe(200);
  return alarmSettings.parse(await response.json());
}

/**
 * A moment `back` days before today: at `hour` o'clock on an earlier day, or, today, at `fraction`
 * of the time since midnight (always in the past, always today).
 */
function moment(now: number, back: number, hourOrFraction: number): number {
  const d = new Date(now);
  if (back === 0) {
    const midnight = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
    return Math.floor(midnight + (now - midnight) * hourOrFraction);
  }
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() - back, Math.floor(hourOrFraction), Math.round((hourOrFraction % 1) * 60)).getTime();
}

interface Seed {
  condition: Condition;
  chairId: string;
  operatorId: string | null;
  raisedAt: number;
  detail: string;
  /** The changes after the raise: [change, ms after the raise, by, detail]. */
  changes: Array<[AlarmChange, number, string | null, string]>;
}

/** Stores an alarm with its every change, as the alarm service does, and returns it as it ends. */
function record(id: number, seed: Seed): AlarmView {
  const { condition, chairId, operatorId, raisedAt, detail, changes } = seed;
  const at = (ms: number) => raisedAt + ms;
  const acked = changes.find(([change]) => change === 'acknowledged');
  const closed = changes.find(([change]) => change === 'closed');
  const last = changes.at(-1)?.[0];
  const alarm: AlarmView = {
    id, chairId, condition, priority: CONDITIONS[condition].priority,
    state: closed ? 'closed' : last === 'latched' ? 'latched' : 'active',
    conditionActive: !closed && last !== 'latched',
    detail, operatorId, raisedAt,
    lastAt: at(Math.max(0, ...changes.filter(([c]) => c === 'repeated').map(([, ms]) => ms))),
    repeats: changes.filter(([c]) => c === 'repeated').length,
    acknowledgedBy: acked?.[2] ?? null,
    acknowledgedAt: acked ? at(acked[1]) : null,
    silencedUntil: null,
    escalated: !closed && !acked && changes.some(([c]) => c === 'escalated'),
    closedAt: closed ? at(closed[1]) : null,
  };
  server.store.alarms.record(alarm, { change: 'raised', at: raisedAt, by: null, detail });
  for (const [change, ms, by, text] of changes) server.store.alarms.record(alarm, { change, at: at(ms), by, detail: text });
  return alarm;
}

const cleared = (ms: number): Seed['changes'] => [['condition-cleared', ms, null, ''], ['closed', ms, null, '']];

describe('the alarm desk in Chromium', () => {
  it('the history counts alarms per condition per day, lists them newest first, filters by condition and opens a timeline', async () => {
    server = await startTestServer({ webRoot });
    // Signed in first: once people exist the sign-in page offers a second "Sign in…" button.
    const page = await suite.page();
    await signIn(page, server.url, '/');
    const chair1 = await server.api.createChair('Chair 1');
    const chair2 = await server.api.createChair('Chair 2');
    const chair3 = await server.api.createChair('Chair 3');
    const person = async (name: string, role: string, secret: string) =>
      ((await (await server.request('POST', '/api/people', { name, role, secret })).json()) as { id: string }).id;
    const ana = await person('Ana', 'operator', '4821');
    const ben = await person('Ben', 'operator', '7305');
    await person('Sam', 'supervisor', 'lead-of-the-floor');

    // Three days of a clinic: a battery that keeps warning (the nuisance), a needle out of band
    // once acknowledged and now again, unacknowledged; a break violation that latched twice.
    const now = Date.now();
    const seeds: Seed[] = [
      { condition: 'battery-low', chairId: chair2.id, operatorId: ben, raisedAt: moment(now, 2, 9.5), detail: 'battery at 14%', changes: cleared(4 * MIN) },
      { condition: 'seq-gap', chairId: chair3.id, operatorId: null, raisedAt: moment(now, 2, 10), detail: 'messages 120–131 never arrived', changes: cleared(30_000) },
      { condition: 'cycle-out-of-band', chairId: chair1.id, operatorId: ana, raisedAt: moment(now, 2, 11.25), detail: 'cycle rate 162 Hz, above 150 Hz', changes: [['acknowledged', 40_000, 'Sam', ''], ['condition-cleared', 95_000, null, 'back in band'], ['closed', 95_000, null, '']] },
      { condition: 'battery-low', chairId: chair2.id, operatorId: ben, raisedAt: moment(now, 2, 13), detail: 'battery at 12%', changes: cleared(3 * MIN) },
      { condition: 'battery-low', chairId: chair2.id, operatorId: ben, raisedAt: moment(now, 2, 15.5), detail: 'battery at 15%', changes: cleared(2 * MIN) },
      { condition: 'battery-low', chairId: chair2.id, operatorId: ben, raisedAt: moment(now, 1, 9), detail: 'battery at 13%', changes: cleared(5 * MIN) },
      { condition: 'device-offline', chairId: chair1.id, operatorId: ana, raisedAt: moment(now, 1, 10), detail: 'no message for 8 s', changes: cleared(45_000) },
      {
        condition: 'break-violation', chairId: chair1.id, operatorId: ana, raisedAt: moment(now, 1, 11.5), detail: 'dots made during the break',
        changes: [
          ['latched', 20_000, null, 'the handpiece stopped'],
          ['repeated', 70_000, null, 'dots made during the break'],
          ['latched', 85_000, null, 'the handpiece stopped'],
          ['acknowledged', 3 * MIN, 'Sam', ''],
          ['closed', 3 * MIN, null, ''],
        ],
      },
      { condition: 'battery-low', chairId: chair2.id, operatorId: ben, raisedAt: moment(now, 1, 14), detail: 'battery at 11%', changes: cleared(6 * MIN) },
      { condition: 'battery-low', chairId: chair2.id, operatorId: ben, raisedAt: moment(now, 0, 0.2), detail: 'battery at 14%', changes: cleared(MIN) },
      { condition: 'seq-gap', chairId: chair3.id, operatorId: null, raisedAt: moment(now, 0, 0.4), detail: 'messages 88–90 never arrived', changes: cleared(10_000) },
      { condition: 'device-offline', chairId: chair2.id, operatorId: ben, raisedAt: moment(now, 0, 0.6), detail: 'no message for 8 s', changes: [['acknowledged', 30_000, 'Sam', ''], ['condition-cleared', 2 * MIN, null, 'back online'], ['closed', 2 * MIN, null, '']] },
      { condition: 'cycle-out-of-band', chairId: chair1.id, operatorId: ana, raisedAt: moment(now, 0, 0.95), detail: 'cycle rate 92 Hz, below 100 Hz', changes: [['escalated', Math.min(60_000, Math.floor((now - moment(now, 0, 0.95)) / 2)), null, 'unacknowledged for 60 s']] },
    ];
    const alarms = seeds.map((seed, i) => record(i + 1, seed));
    expect(alarms.filter((a) => a.state !== 'closed').map((a) => [a.condition, a.priority, a.state])).toEqual([['cycle-out-of-band', 'high', 'active']]);

    // From the wall's menu to the history.
    await page.getByRole('link', { name: 'Alarms', exact: true }).click();
    await page.waitForURL(`${server.url}/alarms`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Alarms');

    // The per-day table: a row per condition that occurred, a column per day of the last seven, totals.
    const table = page.getByTestId('per-day');
    await expect.poll(() => table.locator('tbody tr[data-condition]').count()).toBe(5);
    const days = [2, 1, 0].map((back) => dayOf(moment(now, back, back === 0 ? 0.5 : 12)));
    expect(await table.locator('thead th[data-day]').count()).toBe(7);
    expect(await table.locator('thead th[data-day]').last().getAttribute('data-day')).toBe(days[2]);
    const counts = async (selector: string) => {
      const row = table.locator(selector);
      return { days: await Promise.all(days.map((day) => row.locator(`td[data-day="${day}"]`).innerText())), total: await row.locator('td[data-total]').innerText() };
    };
    expect(await counts('tr[data-condition="battery-low"]')).toEqual({ days: ['3', '2', '1'], total: '6' });
    expect(await counts('tr[data-condition="cycle-out-of-band"]')).toEqual({ days: ['1', '·', '1'], total: '2' });
    expect(await counts('tr[data-condition="device-offline"]')).toEqual({ days: ['·', '1', '1'], total: '2' });
    expect(await counts('tr[data-condition="break-violation"]')).toEqual({ days: ['·', '1', '·'], total: '1' });
    expect(await counts('tr[data-condition="seq-gap"]')).toEqual({ days: ['1', '·', '1'], total: '2' });
    expect(await counts('tr[data-totals]')).toEqual({ days: ['5', '4', '4'], total: '13' });
    // The noisiest first; clinical apart from technical; priority as a marker and a word.
    expect(await table.locator('tbody[data-category="clinical"] tr[data-condition]').first().getAttribute('data-condition')).toBe('battery-low');
    expect(await table.locator('tbody[data-category="technical"] tr[data-condition]').count()).toBe(1);
    expect(await table.locator('tr[data-condition="cycle-out-of-band"] th').innerText()).toMatch(/^!!!\s+high\s+Cycle rate out of band$/i);
    expect(await page.getByRole('img', { name: /Alarms per day/ }).getAttribute('data-totals')).toBe('0 0 0 0 5 4 4');

    // The list: every alarm, newest first, with chair, operator, priority, state, who acknowledged.
    const rows = page.locator('tr[data-alarm]');
    expect(await rows.count()).toBe(13);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-alarm'))))).toEqual([13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    const newest = await rows.first().innerText();
    expect(newest).toMatch(/Chair 1\s+Ana\s+!!!\s*high\s+Cycle rate out of band\s+clinical/i);
    expect(newest).toContain('cycle rate 92 Hz, below 100 Hz');
    expect(newest).toMatch(/Active\s+escalated/);
    expect(newest).toContain('not yet');
    expect(newest).toMatch(/open \d/);
    const offline = await page.locator('tr[data-alarm="12"]').innerText();
    expect(offline).toMatch(/!!\s*medium\s+Handpiece offline/i);
    expect(offline).toMatch(/Closed\s+Sam\s+\d\d:\d\d(\s?[AP]M)?, after 30 s/);
    expect(offline).toContain('2 min');
    expect(await page.locator('tr[data-alarm="11"]').getAttribute('data-category')).toBe('technical');
    expect(await page.locator('tr[data-alarm="11"]').innerText()).toMatch(/Chair 3\s+—\s+!\s*low\s+Messages lost by the device\s+technical/i);
    expect(await page.locator('tr[data-alarm="8"] td').nth(6).innerText()).toBe('1'); // repeats

    // A click on a row opens its every change, in order, with who acknowledged it.
    await page.locator('tr[data-alarm="8"] td.what').click();
    const timeline = page.locator('tr[data-timeline="8"] li');
    await expect.poll(() => timeline.count()).toBe(6);
    expect(await timeline.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-change')))).toEqual(['raised', 'latched', 'repeated', 'latched', 'acknowledged', 'closed']);
    expect(await timeline.nth(0).innerText()).toContain('dots made during the break');
    expect(await timeline.nth(1).innerText()).toMatch(/\+20 s\s+Latched: cleared before anyone acknowledged it\s+the handpiece stopped/);
    expect(await timeline.nth(4).innerText()).toMatch(/\+3 min\s+Acknowledged by Sam/);
    expect(await page.locator('tr[data-alarm="8"] button[aria-expanded]').getAttribute('aria-expanded')).toBe('true');

    // The newest one's timeline too, for the picture; then the picture.
    await page.locator('tr[data-alarm="13"] button[aria-expanded]').click();
    await expect.poll(() => page.locator('tr[data-timeline="13"] li').count()).toBe(2);
    await page.locator('tr[data-alarm="8"] button[aria-expanded]').click();
    await expect.poll(() => page.locator('tr[data-timeline="8"]').count()).toBe(0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.mouse.move(0, 0);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${screenshots}/alarm-history.png` });

    // Thirty days: a column a day, the same counts.
    await page.getByRole('link', { name: '30 days' }).click();
    await expect.poll(() => table.locator('thead th[data-day]').count()).toBe(30);
    expect(await counts('tr[data-totals]')).toEqual({ days: ['5', '4', '4'], total: '13' });
    expect(await page.getByRole('img', { name: /Alarms per day/ }).getAttribute('data-totals')).toBe(`${'0 '.repeat(27)}5 4 4`);
    await page.getByRole('link', { name: '7 days' }).click();
    await expect.poll(() => table.locator('thead th[data-day]').count()).toBe(7);

    // Filter by condition: the address says so, the rows and the table follow.
    await page.getByRole('combobox', { name: 'Condition' }).selectOption({ label: 'Battery low' });
    await page.waitForURL(/\/alarms\?days=7&condition=battery-low$/);
    await expect.poll(() => rows.count()).toBe(6);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-condition')))).toEqual(Array(6).fill('battery-low'));
    expect(await table.locator('tbody tr[data-condition]').count()).toBe(1);
    expect(await counts('tr[data-totals]')).toEqual({ days: ['3', '2', '1'], total: '6' });
    expect(await page.locator('tr[data-timeline]').count()).toBe(0);

    // And by priority and chair, kept together in the address; a reload keeps them.
    await page.getByRole('combobox', { name: 'Condition' }).selectOption('');
    await page.getByRole('combobox', { name: 'Priority' }).selectOption('high');
    await expect.poll(() => rows.count()).toBe(3);
    await page.getByRole('combobox', { name: 'Chair' }).selectOption({ label: 'Chair 1' });
    await page.waitForURL(new RegExp(`/alarms\\?days=7&priority=high&chairId=${chair1.id}$`));
    await page.reload();
    await expect.poll(() => rows.count()).toBe(3);
    expect(await page.getByRole('combobox', { name: 'Priority' }).inputValue()).toBe('high');
    expect(await page.getByRole('combobox', { name: 'Chair' }).inputValue()).toBe(chair1.id);

    // Today only: the day's alarms and one column.
    await page.getByRole('link', { name: 'Today' }).click();
    await page.waitForURL(/days=1&priority=high/);
    await expect.poll(() => rows.count()).toBe(1);
    expect(await table.locator('thead th[data-day]').count()).toBe(1);
    await page.getByRole('link', { name: 'Clear filters' }).click();
    await expect.poll(() => rows.count()).toBe(4);
    expect(page.url()).toBe(`${server.url}/alarms?days=1`);
  });

  it('the alarm settings form refuses an escalation delay below its minimum next to the field, and saves valid settings', async () => {
    server = await startTestServer({ webRoot });
    const page = await suite.page();
    await signIn(page, server.url, '/setup');
    const form = page.getByRole('form', { name: 'Alarms', exact: true });
    const audible = form.getByLabel('Audible cue on the tablets');
    const escalate = form.getByLabel('Escalate unacknowledged high alarms after (s)');
    const silence = form.getByLabel('Longest silence (min)');
    // The defaults, in seconds and minutes.
    await expect.poll(() => escalate.inputValue()).toBe('60');
    expect(await silence.inputValue()).toBe('10');
    expect(await audible.isChecked()).toBe(true);

    // Five seconds is too soon to escalate: refused under the field, nothing saved.
    await escalate.fill('5');
    await form.getByRole('button', { name: 'Save alarm settings' }).click();
    const message = form.locator('[data-field="escalateAfterMs"]');
    await expect.poll(() => message.innerText()).toBe('at least 10 s');
    expect(await escalate.getAttribute('aria-invalid')).toBe('true');
    expect(await escalate.getAttribute('aria-describedby')).toBe(await message.getAttribute('id'));
    expect(await silence.getAttribute('aria-invalid')).toBe('false');
    const input = (await escalate.boundingBox())!;
    const text = (await message.boundingBox())!;
    expect(text.y - (input.y + input.height)).toBeGreaterThanOrEqual(0);
    expect(text.y - (input.y + input.height)).toBeLessThan(24);
    expect(Math.abs(text.x - input.x)).toBeLessThan(4);
    expect(await form.getByRole('status').count()).toBe(0);
    expect(await storedSettings()).toEqual(defaultAlarmSettings);

    // Settings that hold together are saved, in milliseconds.
    await audible.uncheck();
    await escalate.fill('90');
    await silence.fill('15');
    await form.getByRole('button', { name: 'Save alarm settings' }).click();
    await expect.poll(() => form.getByRole('status').innerText()).toBe('Saved.');
    expect(await form.locator('[data-field]').count()).toBe(0);
    expect(await escalate.getAttribute('aria-invalid')).toBe('false');
    expect(await storedSettings()).toEqual({ audible: false, escalateAfterMs: 90_000, maxSilenceMs: 15 * MIN });

    // A reload shows what is stored; Restore defaults and save puts the defaults back.
    await page.reload();
    await expect.poll(() => escalate.inputValue()).toBe('90');
    expect(await audible.isChecked()).toBe(false);
    await form.getByRole('button', { name: 'Restore defaults' }).click();
    expect(await escalate.inputValue()).toBe('60');
    await form.getByRole('button', { name: 'Save alarm settings' }).click();
    await expect.poll(() => form.getByRole('status').count()).toBe(1);
    expect(await storedSettings()).toEqual(defaultAlarmSettings);
  });

  it('the overwork threshold form shows the server\'s refusal of a factor below 1.2, and saves a valid one', async () => {
    server = await startTestServer({ webRoot });
    const page = await suite.page();
    await signIn(page, server.url, '/setup');
    const factor = page.getByLabel('Factor (×)');
    await expect.poll(() => factor.inputValue()).toBe('2');
    await factor.fill('1');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    await expect.poll(() => page.locator('[data-field="overworkFactor"]').innerText()).toBe('at least 1.2× the norm');
    expect(await factor.getAttribute('aria-invalid')).toBe('true');
    expect((await (await server.request('GET', '/api/guidance/settings')).json()).overworkFactor).toBe(2);

    await factor.fill('1.5');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved.' }).count()).toBe(1);
    expect((await (await server.request('GET', '/api/guidance/settings')).json()).overworkFactor).toBe(1.5);
  });
});
