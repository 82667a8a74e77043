import { describe, expect, it } from 'vitest';
import { defaultBreakPolicy } from '../../server/protocol/breaks.ts';
import { MINUTE } from '../helpers/accelerated-session.ts';
import { browserSuite, screenshots, webRoot } from '../helpers/browser-suite.ts';
import { startTestServer } from '../helpers/server.ts';
import { earlierBaselines, testClock, workedChair } from '../helpers/worked-session.ts';

const suite = browserSuite();

describe('looking ahead on the tablet and the wall, in Chromium', () => {
  it('the tablet shows when each region and the plan will be done and a fatigue hint; the wall the finish and that the plan will not fit', async () => {
    const clock = testClock(Date.UTC(2026, 10, 30, 9));
    const server = await startTestServer({ webRoot, clock, outlook: { everyMs: 50 }, breaks: { tickMs: 5 } });
    suite.cleanup(() => server.dispose());
    // A one-hour session limit: the first plan's thousands of dots cannot fit in it.
    const policy = { ...defaultBreakPolicy, maxSessionMs: 60 * MINUTE, microEveryMs: 60 * MINUTE, restEveryMs: 120 * MINUTE };
    expect((await server.request('PUT', '/api/breaks/policy', policy)).status).toBe(200);
    server.store.workBaselines.save('op-ana', 'an-earlier-session', earlierBaselines(), clock.t);
    const tiredHand = () => ({ dotGap: 1.08, pause: 1.3, dwellMean: 1, dwellSd: 1.45 });
    const chair = await workedChair(server, clock, { operatorId: 'op-ana', patientRef: 'P-0512', hand: tiredHand });
    suite.cleanup(() => chair.device.close());

    const tablet = await suite.signedIn(server.url, `/chairs/${chair.chairId}`);
    const wall = await suite.signedIn(server.url, '/', { width: 1920, height: 1080 });
    await chair.work(25 * MINUTE);

    const time = String.raw`\d\d:\d\d(?: [AP]M)?`;
    await expect.poll(() => tablet.getByTestId('plan-finish').innerText()).toMatch(new RegExp(`^The plan needs until ≈ ${time} \\(${time}–${time}\\)$`));
    const regions = await tablet.getByTestId('region-forecast').allInnerTexts();
    expect(regions.length).toBeGreaterThan(0);
    expect(regions[0]).toMatch(/^[A-Z][\w -]+: [\d,]+ dots left ≈ (\d+ min|\d+ h \d\d min)$/);
    await expect.poll(() => tablet.getByTestId('fatigue-hint').innerText()).toMatch(/^Signs of fatigue: dwell variability \+\d+ % vs your earlier sessions/);
    expect(await tablet.getByTestId('will-not-fit').innerText()).toMatch(new RegExp(`^Will not fit before the session length limit at ${time}$`));
    await tablet.screenshot({ path: `${screenshots}/tablet-outlook.png` });

    const card = wall.locator(`[data-chair="${chair.chairId}"]`);
    await expect.poll(() => card.getByTestId('card-finish').innerText()).toMatch(new RegExp(`^Plan done ≈ ${time} · ⚠ will not fit$`));
    expect(await card.getByTestId('card-left-over').innerText()).toMatch(/^Next session: [A-Z][\w -]+, [A-Z][\w -]+ \+\d+$/);
    expect(await card.getByTestId('card-fatigue-hint').innerText()).toMatch(/^⚑ Fatigue: dwell variability \+\d+ %$/);
    await wall.screenshot({ path: `${screenshots}/wall-outlook.png` });
  });
});
