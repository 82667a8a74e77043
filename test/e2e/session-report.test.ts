import { describe, expect, it } from 'vitest';
import { Simulator } from '../../device-sim/simulator.ts';
import { replayDots, sessionReport } from '../../server/protocol/report.ts';
import { browserSuite, screenshots, webRoot } from '../helpers/browser-suite.ts';
import { ADMIN_TOKEN, startTestServer, waitFor } from '../helpers/server.ts';

const suite = browserSuite();

describe('the session report in Chromium', () => {
  it('renders the record, replays the session to any moment, and prints with the totals', async () => {
    const server = await startTestServer({ webRoot });
    suite.cleanup(() => server.dispose());
    const simulator = await Simulator.start({
      serverUrl: server.url, adminToken: ADMIN_TOKEN, chairs: 1, speed: 30, seed: 11, scenario: 'steady',
      startSessions: true, tickMs: 20, reconnect: { initialMs: 50, maxMs: 500 },
    });
    suite.cleanup(() => simulator.stop());
    await waitFor(() => simulator.chairs[0]!.dotsMade > 300, 30_000, 'a few hundred dots');
    simulator.halt();
    await simulator.delivered();
    const sessionId = (await server.api.chairs())[0]!.session!.id;
    await server.api.endSession(sessionId);
    const report = sessionReport.parse(await (await server.request('GET', `/api/sessions/${sessionId}/report`)).json());
    const replay = replayDots.parse(await (await server.request('GET', `/api/sessions/${sessionId}/replay`)).json());

    // The wall links the chair's last session to its report.
    const wall = await suite.signedIn(server.url, '/', { width: 1600, height: 1000 });
    // (The card pulses for the handpiece gone offline, so the link is followed rather than clicked.)
    await expect.poll(() => wall.getByTestId('last-report').getAttribute('href')).toBe(`/sessions/${sessionId}`);
    await wall.goto(`${server.url}/sessions/${sessionId}`);
    const page = wall;
    const total = report.totals.placedDots;
    await expect.poll(() => page.getByTestId('total-dots').innerText()).toBe(total.toLocaleString('en'));
    await expect.poll(() => page.getByTestId('report-map').getAttribute('data-replay')).toBe('ready');
    expect(await page.getByTestId('report-map').getAttribute('data-dots')).toBe(String(total));
    expect(Number(await page.getByTestId('rate-chart').getAttribute('data-points'))).toBeGreaterThan(0);
    const placed = await page.locator('[data-testid="region-results"] [data-testid="placed"]').allInnerTexts();
    expect(placed.map((p) => Number(p.replace(/,/g, ''))).reduce((a, b) => a + b, 0)).toBe(total);
    await page.screenshot({ path: `${screenshots}/session-report.png`, fullPage: true });

    // Half way through the session: the map holds the dots made by then, as the API counts them.
    const moment = Math.round(report.session.lengthMs / 2 / 1000) * 1000;
    const expected = replay.t.filter((t) => t <= moment).length;
    await page.getByLabel('Moment of the session').evaluate((input: HTMLInputElement, at: number) => {
      input.value = String(at);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, moment);
    await expect.poll(() => page.getByTestId('report-map').getAttribute('data-dots')).toBe(String(expected));
    expect(expected).toBeLessThan(total);
    expect(expected).toBeGreaterThan(0);
    await page.screenshot({ path: `${screenshots}/session-replay.png` });

    // Played at 600×, it runs to the end.
    await page.getByLabel('Speed').selectOption('600');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => page.getByTestId('report-map').getAttribute('data-dots'), { timeout: 15_000 }).toBe(String(total));

    // The print view: no navigation, the totals in its text.
    await page.emulateMedia({ media: 'print' });
    const printed = await page.locator('body').innerText();
    expect(printed).toContain(`Patient ${report.session.patientRef}`);
    expect(printed).toContain(total.toLocaleString('en'));
    expect(await page.getByRole('link', { name: '‹ Sessions' }).isVisible()).toBe(false);
    await page.screenshot({ path: `${screenshots}/session-report-print.png`, fullPage: true });
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
