import { afterEach, describe, expect, it } from 'vitest';
import { BreakEngine, type EngineEvent, type OperatorState } from '../../server/breaks/engine.ts';
import { localDay } from '../../server/protocol/days.ts';
import { breakPolicy, defaultBreakPolicy, type BreakEvent } from '../../server/protocol/breaks.ts';
import { signIn } from '../helpers/browser.ts';
import { browserSuite, screenshots, webRoot } from '../helpers/browser-suite.ts';
import { startTestServer, tempDir, type TestServer } from '../helpers/server.ts';


const MIN = 60_000;
const HOUR = 60 * MIN;

const suite = browserSuite();
let server: TestServer;
afterEach(async () => {
  await server.dispose();
});

async function storedPolicy() {
  const response = await server.request('GET', '/api/breaks/policy');
  expect(response.status).toBe(200);
  return breakPolicy.parse(await response.json());
}

/** The local calendar day `back` days before `at`'s. */
function daysBefore(at: number, back: number): string {
  const d = new Date(at);
  return localDay(new Date(d.getFullYear(), d.getMonth(), d.getDate() - back, 12).getTime());
}

/**
 * An hour and a half of op-7's work today, second by second through the real break engine: warned,
 * a micro-pause postponed, then enforced, dots during it, served; a pause long enough to count;
 * a micro-pause lifted by the supervisor. Returns the engine's events and its final state.
 */
function workedToday(now: number): { events: EngineEvent[]; state: OperatorState } {
  const engine = new BreakEngine(defaultBreakPolicy);
  const op = 'op-7';
  const t0 = now - 90 * MIN;
  const events: EngineEvent[] = [...engine.sessionStarted(op, t0)];
  const at = (min: number) => t0 + min * MIN;
  const run = (fromMs: number, toMs: number, running: boolean) => {
    for (let t = fromMs; t <= toMs; t += 1000) events.push(...engine.sample(op, t, running));
  };
  run(at(0), at(25), true); // warned at 20 and 24 min, micro-pause due at 25
  const postponed = engine.postpone(op, at(25) + 1000);
  expect(postponed.result).toEqual({ ok: true, byMs: 5 * MIN });
  events.push(...postponed.events);
  run(at(25) + 2000, at(30) + 1000, true); // the postponed micro-pause falls due
  run(at(30) + 2000, at(30) + 19_000, false); // the handpiece stopped
  events.push(...engine.dot(op, at(30) + 20_000).events); // but a dot slipped through
  run(at(30) + 21_000, at(36), false); // served at 32 min
  run(at(36) + 1000, at(50), true);
  run(at(50) + 1000, at(53), false); // a 3-minute pause: a natural micro-pause
  run(at(53) + 1000, at(78) + 30_000, true); // the next micro-pause at about 78 min
  const lifted = engine.override(op, at(79), 'Patient asked to finish the hairline first');
  expect(lifted.ok).toBe(true);
  events.push(...lifted.events);
  run(at(79) + 1000, at(85), true);
  return { events, state: engine.exportState(op)! };
}

describe('the break desk in Chromium', () => {
  it("the supervisor's break policy form refuses a rest break shorter than the micro-pause next to the field, and saves a valid policy", async () => {
    server = await startTestServer({ webRoot });
    const page = await suite.page();
    await signIn(page, server.url, '/setup');
    const form = page.getByRole('form', { name: 'Break policy' });
    // The form shows the defaults in minutes and seconds.
    await expect.poll(() => form.getByLabel('Micro-pause every (min)').inputValue()).toBe('25');
    expect(await form.getByLabel('Micro-pause length (s)').inputValue()).toBe('120');
    expect(await form.getByLabel('Warnings before a break (min)').inputValue()).toBe('5, 1');
    expect(await form.getByRole('group', { name: 'Needle time per day (h + min)' }).getByLabel('hours').inputValue()).toBe('6');

    // A four-minute micro-pause and a three-minute rest break: the server refuses, under the rest break's length.
    await form.getByLabel('Micro-pause length (s)').fill('240');
    const restLength = form.getByLabel('Rest break length (min)');
    await restLength.fill('3');
    await form.getByRole('button', { name: 'Save break policy' }).click();
    const message = form.locator('[data-field="restDurationMs"]');
    await expect.poll(() => message.innerText()).toBe('a rest break is longer than a micro-pause');
    expect(await restLength.getAttribute('aria-invalid')).toBe('true');
    expect(await restLength.getAttribute('aria-describedby')).toBe(await message.getAttribute('id'));
    expect(await form.getByLabel('Micro-pause length (s)').getAttribute('aria-invalid')).toBe('false');
    const input = (await restLength.boundingBox())!;
    const text = (await message.boundingBox())!;
    expect(text.y - (input.y + input.height)).toBeGreaterThanOrEqual(0);
    expect(text.y - (input.y + input.height)).toBeLessThan(24);
    expect(Math.abs(text.x - input.x)).toBeLessThan(4);
    expect(await form.getByRole('status').count()).toBe(0);
    expect(await storedPolicy()).toEqual(defaultBreakPolicy);

    // A policy that holds together is saved, in milliseconds.
    await form.getByLabel('Micro-pause every (min)').fill('20');
    await form.getByLabel('Micro-pause length (s)').fill('90');
    await form.getByLabel('Rest break every (min)').fill('100');
    await restLength.fill('15');
    const daily = form.getByRole('group', { name: 'Needle time per day (h + min)' });
    await daily.getByLabel('hours').fill('5');
    await daily.getByLabel('min').fill('30');
    const session = form.getByRole('group', { name: 'Longest session (h + min)' });
    await session.getByLabel('hours').fill('6');
    await session.getByLabel('min').fill('0');
    await form.getByLabel('Warnings before a break (min)').fill('1, 3');
    await form.getByLabel('Postpone length (min)').fill('4');
    await form.getByLabel('Postpones allowed per break').fill('1');
    await form.getByLabel('Signs of fatigue in the work').selectOption('break');
    await form.getByRole('button', { name: 'Save break policy' }).click();
    await expect.poll(() => form.getByRole('status').innerText()).toBe('Saved.');
    expect(await form.locator('[data-field]').count()).toBe(0);
    expect(await restLength.getAttribute('aria-invalid')).toBe('false');
    expect(await storedPolicy()).toEqual({
      microEveryMs: 20 * MIN,
      microDurationMs: 90_000,
      restEveryMs: 100 * MIN,
      restDurationMs: 15 * MIN,
      dailyNeedleMs: 5.5 * HOUR,
      maxSessionMs: 6 * HOUR,
      warnBeforeMs: [3 * MIN, MIN],
      postponeMs: 4 * MIN,
      maxPostpones: 1,
      fatigueResponse: 'break',
    });

    // Restore defaults fills the form; saving it puts the defaults back.
    await form.getByRole('button', { name: 'Restore defaults' }).click();
    expect(await form.getByLabel('Micro-pause every (min)').inputValue()).toBe('25');
    expect(await form.getByLabel('Warnings before a break (min)').inputValue()).toBe('5, 1');
    await form.getByRole('button', { name: 'Save break policy' }).click();
    await expect.poll(() => form.getByRole('status').count()).toBe(1);
    expect(await storedPolicy()).toEqual(defaultBreakPolicy);
  });

  it("an operator's history shows needle time per day and the break log", async () => {
    // Seed op-7's history in the store, then start the server again on it, as after a restart:
    // the break engine restores the operator's state from what was saved.
    const dataDir = tempDir();
    // The server's clock reads mid-afternoon, whenever the test runs: the story of "today" below
    // spans 90 minutes and must not cross midnight (it did when CI ran at 00:47).
    const afternoon = new Date();
    afternoon.setHours(15, 0, 0, 0);
    const offset = afternoon.getTime() - Date.now();
    const clock = { now: () => Date.now() + offset, scale: 1 };
    const first = await startTestServer({ dataDir, webRoot, clock });
    const chair = await first.api.createChair('Chair 2');
    const now = clock.now();
    const { events: today, state } = workedToday(now);

    const pastHours = [5.5, 6, 0, 4.25, 6.4, 3, 0, 0, 5, 5.75, 4, 2.5, 6];
    pastHours.forEach((hours, i) => {
      if (hours === 0) return;
      first.store.breaks.save([{ operatorId: 'op-7', state: { ...state, day: daysBefore(now, i + 1), needleMsToday: hours * HOUR } }], now);
    });
    const yesterdayNoon = new Date(now);
    yesterdayNoon.setDate(yesterdayNoon.getDate() - 1);
    yesterdayNoon.setHours(12, 0, 0, 0);
    const y = yesterdayNoon.getTime();
    const earlier: Array<Omit<BreakEvent, 'id'>> = [
      { operatorId: 'op-7', chairId: chair.id, type: 'natural', kind: 'rest', at: y, ms: 12 * MIN, detail: 'the needle rested as long as a rest break' },
      { operatorId: 'op-7', chairId: chair.id, type: 'break', kind: 'rest', at: y + 95 * MIN, ms: 10 * MIN, detail: 'the handpiece stops for the break' },
      { operatorId: 'op-7', chairId: chair.id, type: 'served', kind: 'rest', at: y + 105 * MIN, ms: null, detail: 'break over: the handpiece is released' },
    ];
    const stored = [...earlier, ...today.map((e) => ({ ...e, chairId: chair.id }))].map((e) => first.store.breaks.addEvent(e));
    first.store.breaks.save([{ operatorId: 'op-7', state }], now);
    await first.close();
    server = await startTestServer({ dataDir, webRoot, clock });

    const of = (type: BreakEvent['type']) => stored.filter((e) => e.type === type).length;
    // What the engine did today, as the story above tells it.
    expect(today.map((e) => `${e.type}:${e.kind}`)).toEqual([
      'warning:micro', 'warning:micro', 'break:micro', 'postponed:micro', 'warning:micro', 'break:micro', 'violation:micro', 'served:micro',
      'natural:micro', 'warning:micro', 'warning:micro', 'break:micro', 'override:micro',
    ]);

    const page = await suite.page();
    await signIn(page, server.url, '/operators/op-7');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Operator op-7');

    // Now: working, the next break (the rest break: 75 min of needle time since the day began), today's needle time and trouble.
    const current = page.getByTestId('now');
    await expect.poll(() => current.innerText()).toMatch(/Working: rest break after 1[45] min more needle time/);
    expect(await current.innerText()).toMatch(/Today: needle time 1:\d\d · postponed 1 · violations 1/);

    // The chart: fourteen days, missing days at zero, the seeded ones as they were saved.
    const chart = page.getByRole('img', { name: /Needle time per day/ });
    await expect.poll(() => chart.getAttribute('data-days')).toBe('14');
    expect(await chart.locator('canvas').count()).toBe(1);
    const hours = (await chart.getAttribute('data-hours'))!.split(' ').map(Number);
    expect(hours.slice(0, 13)).toEqual([...pastHours].reverse());
    expect(hours[13]).toBeCloseTo(state.needleMsToday / HOUR, 2);

    // The counts over the period.
    const count = async (key: string) => Number(await page.locator(`[data-count="${key}"] dd`).innerText());
    expect(await count('served')).toBe(of('served'));
    expect(await count('natural')).toBe(of('natural'));
    expect(await count('postponed')).toBe(of('postponed'));
    expect(await count('override')).toBe(of('override'));
    expect(await count('violation')).toBe(of('violation'));
    expect([of('served'), of('natural'), of('postponed'), of('override'), of('violation')]).toEqual([2, 2, 1, 1, 1]);

    // The log: every event, newest first, in words, at its chair.
    const rows = page.locator('tr[data-event]');
    expect(await rows.count()).toBe(stored.length);
    expect(await rows.first().innerText()).toContain('Override: Patient asked to finish the hairline first');
    const texts = await rows.allInnerTexts();
    expect(texts.every((t) => t.includes('Chair 2'))).toBe(true);
    expect(texts.some((t) => t.includes('Micro-pause started (2 min)'))).toBe(true);
    expect(texts.some((t) => t.includes('Postponed 5 min'))).toBe(true);
    expect(texts.some((t) => t.includes('Dots during the break'))).toBe(true);
    expect(texts.some((t) => t.includes('Natural micro-pause (3 min pause)') || t.includes('Natural micro-pause (2 min pause)'))).toBe(true);
    expect(texts.some((t) => t.includes('Natural rest break (12 min pause)'))).toBe(true);
    expect(texts.some((t) => t.includes('Warning: micro-pause in 5 min'))).toBe(true);
    expect(await page.locator('tr[data-event="warning"]').first().evaluate((tr) => tr.classList.contains('quiet'))).toBe(true);

    await page.waitForTimeout(300);
    await page.screenshot({ path: `${screenshots}/operator-history.png` });

    // A shorter period: the chart and the selector follow the query.
    await page.getByRole('link', { name: '7 days' }).click();
    await expect.poll(() => chart.getAttribute('data-days')).toBe('7');
    expect(page.url()).toContain('/operators/op-7?days=7');
  });
});
