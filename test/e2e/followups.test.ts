import { describe, expect, it } from 'vitest';
import type { TreatmentView } from '../../server/protocol/plan.ts';
import { browserSuite, screenshots, webRoot } from '../helpers/browser-suite.ts';
import { phonePhoto } from '../helpers/photos.ts';
import { startTestServer } from '../helpers/server.ts';

const suite = browserSuite();

const loaded = (img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0);

describe('follow-up visits in Chromium', () => {
  it('a follow-up recorded on the chair\'s tablet shows its finding and photo there, blocks with "needs laser" until cleared', async () => {
    const server = await startTestServer({ webRoot, backups: { nightlyAt: null } });
    suite.cleanup(() => server.dispose());
    const chair = await server.api.createChair('Chair 1');
    const treatment = (await (await server.request('POST', '/api/treatments', { patientRef: 'P-88', sessions: 3 })).json()) as TreatmentView;
    await server.api.startSession({ chairId: chair.id, operatorId: 'op-1', patientRef: 'P-88', planId: treatment.plans[0]!.id });
    expect((await server.request('PUT', `/api/chairs/${chair.id}/region`, { region: 'crown' })).status).toBe(200);

    const tablet = await suite.signedIn(server.url, `/chairs/${chair.id}`, { width: 1280, height: 1000 });
    const beside = tablet.getByTestId('region-followup');
    await expect.poll(() => beside.innerText()).toMatch(/No follow-up findings for Crown/);
    await beside.getByRole('button', { name: 'Record a follow-up' }).click();

    const form = tablet.getByTestId('record-followup');
    await form.getByLabel('Finding for Crown').selectOption('needs-laser');
    await form.getByLabel('Note for Crown').fill('blot at the whorl');
    await form.getByLabel('Photo of Crown').setInputFiles({ name: 'crown.jpg', mimeType: 'image/jpeg', buffer: await phonePhoto() });
    await form.getByRole('button', { name: 'Save the follow-up' }).click();

    const visit = tablet.getByTestId('visit').first();
    await expect.poll(() => visit.locator('[data-finding="needs-laser"]').innerText()).toMatch(/Crown.*Needs laser.*blot at the whorl/);
    await expect.poll(() => visit.getByTestId('photo-thumb').evaluate(loaded)).toBeGreaterThan(0);
    await expect.poll(() => tablet.getByTestId('laser-block').innerText()).toMatch(/Needs laser before the next session: Crown/);
    await tablet.getByTestId('followups').evaluate((section) => section.scrollIntoView());
    await tablet.screenshot({ path: `${screenshots}/followup-visits.png` });

    // The thumbnail opens the full photo, upright (the phone's 400×300 turned by its EXIF orientation).
    await visit.getByTestId('photo-thumb').click();
    await expect.poll(() => tablet.getByTestId('photo-full').evaluate((img: HTMLImageElement) => (img.complete ? img.naturalHeight : 0))).toBe(400);
    await tablet.getByRole('button', { name: 'Close' }).click();

    await tablet.getByLabel(/Why it is cleared/).fill('Q-switched laser done, healed');
    await tablet.getByRole('button', { name: 'Clear for the next session' }).click();
    await expect.poll(() => tablet.getByTestId('laser-block').count()).toBe(0);
    await expect.poll(() => visit.innerText()).toMatch(/Laser cleared by admin token/);
    await tablet.getByRole('button', { name: 'Done' }).click();

    // Beside the crown's plan: its last finding and its latest photo.
    await expect.poll(() => beside.locator('[data-finding="needs-laser"]').innerText()).toMatch(/Needs laser/);
    await expect.poll(() => beside.getByTestId('photo-thumb').evaluate(loaded)).toBeGreaterThan(0);
    await tablet.screenshot({ path: `${screenshots}/followup-tablet.png` });
  });
});
