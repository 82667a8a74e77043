import { describe, expect, it } from 'vitest';
import { planView, treatmentView } from '../../server/protocol/plan.ts';
import { browserSuite, screenshots, webRoot } from '../helpers/browser-suite.ts';
import { tapRegion } from '../helpers/scalp-map.ts';
import { phonePhoto } from '../helpers/photos.ts';
import { dot, RawDevice } from '../helpers/raw-device.ts';
import { chairWithDevice, startTestServer } from '../helpers/server.ts';

const suite = browserSuite();

describe('from one session to the next, in Chromium', () => {
  it('a follow-up with a photo on the tablet becomes a proposal in the editor; part accepted, the next session shows the whole treatment and the findings', async () => {
    const server = await startTestServer({ webRoot, backups: { nightlyAt: null } });
    suite.cleanup(() => server.dispose());
    const treatment = treatmentView.parse(await (await server.request('POST', '/api/treatments', { patientRef: 'P-0142', sessions: 3 })).json());
    const ids = await chairWithDevice(server.api, 'Chair 1');
    const ana = ((await (await server.request('POST', '/api/people', { name: 'Ana', role: 'operator', secret: '4821' })).json()) as { id: string }).id;

    // Session 1: Ana works the crown and the hairline, then the session ends.
    const first = await server.api.startSession({ chairId: ids.chairId, operatorId: ana, patientRef: 'P-0142', planId: treatment.plans[0]!.id });
    const { device } = await RawDevice.hello(server.deviceUrl, ids.deviceId, ids.token);
    suite.cleanup(() => device.close());
    for (let seq = 1; seq <= 40; seq++) device.send(dot(seq, { region: seq % 2 ? 'crown' : 'hairline', x: 0.5, y: seq % 2 ? 0.7 : 0.06 }));
    await device.acked(40);
    await server.api.endSession(first.id);

    // Weeks later, on Ana's tablet before the next session: the follow-up, with a photo of the crown.
    const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST', headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ personId: ana, secret: '4821', chairId: ids.chairId }),
    });
    const tablet = await suite.page({ width: 1280, height: 1000 });
    await tablet.context().addCookies([{ name: 'stipple_session', value: signIn.headers.get('set-cookie')!.split(';')[0]!.split('=')[1]!, url: server.url }]);
    await tablet.goto(`${server.url}/chairs/${ids.chairId}`);
    await tablet.getByTestId('region-followup').getByRole('button', { name: 'Record a follow-up' }).click();
    const form = tablet.getByTestId('record-followup');
    await form.getByLabel('Finding for Crown').selectOption('bleeding');
    await form.getByLabel('Note for Crown').fill('blurred at the whorl');
    await form.getByLabel('Photo of Crown').setInputFiles({ name: 'crown.jpg', mimeType: 'image/jpeg', buffer: await phonePhoto() });
    await form.getByLabel('Finding for Hairline').selectOption('faded');
    await form.getByRole('button', { name: 'Save the follow-up' }).click();
    await expect.poll(() => tablet.getByTestId('visit').first().getByTestId('photo-thumb').count()).toBe(1);
    await tablet.getByRole('button', { name: 'Done' }).click();

    // The supervisor prepares session 2: the crown's bleeding proposal is accepted, the hairline's fill-in rejected.
    const desk = await suite.signedIn(server.url, `/plans/${treatment.plans[1]!.id}`, { width: 1280, height: 1000 });
    await desk.getByRole('button', { name: 'Accept for Crown' }).click();
    await desk.getByRole('button', { name: 'Reject for Hairline' }).click();
    await desk.getByRole('button', { name: 'Save plan' }).click();
    await expect.poll(() => desk.getByTestId('save-state').innerText()).toMatch(/^Saved/);
    const before = treatment.plans[1]!.regions;
    const saved = planView.parse(await (await server.request('GET', `/api/plans/${treatment.plans[1]!.id}`)).json()).regions;
    expect(saved.crown!.density).toBeLessThan(before.crown!.density);
    expect(saved.hairline).toEqual(before.hairline);

    // Ana starts session 2 on the tablet; the map shows the whole treatment, and the crown its findings.
    await tablet.getByLabel('Patient code').fill('P-0142');
    await expect.poll(() => tablet.getByTestId('plan-select').locator('option').count()).toBeGreaterThan(2);
    await tablet.getByTestId('plan-select').selectOption(treatment.plans[1]!.id);
    await tablet.getByRole('button', { name: 'Start session' }).click();
    await expect.poll(() => tablet.getByText('plan session 2 of 3').count()).toBe(1);
    expect((await server.api.chairs())[0]!.session!.operatorId).toBe(ana);
    await expect.poll(() => tablet.locator('[data-fill="crown"]').getAttribute('data-level')).toBe('none');
    await tablet.getByRole('button', { name: 'Whole treatment' }).click();
    await expect.poll(() => tablet.getByTestId('heat-layer').getAttribute('data-layer')).toBe('treatment');
    await expect.poll(() => tablet.locator('[data-fill="crown"]').getAttribute('data-level')).toBe('under');
    await tapRegion(tablet, 'crown');
    await expect.poll(() => tablet.getByTestId('region-followup').locator('[data-finding="bleeding"]').innerText()).toMatch(/blurred at the whorl/);
    await tablet.screenshot({ path: `${screenshots}/tablet-whole-treatment.png` });

    // The treatment page: the timeline, the whole coverage, the follow-up with its photo.
    await desk.goto(`${server.url}/treatments/${treatment.id}`);
    await expect.poll(() => desk.getByTestId('timeline').locator('li').evaluateAll((li) => li.map((l) => l.getAttribute('data-state')))).toEqual(['done', 'in-progress', 'planned']);
    expect(await desk.getByTestId('treatment-map').getAttribute('data-dots')).toBe('40');
    await desk.screenshot({ path: `${screenshots}/treatment-page.png`, fullPage: true });
  });
});
