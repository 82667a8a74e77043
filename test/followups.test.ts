import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_PHOTO_BYTES } from '../server/followup/photos.ts';
import { photoView, treatmentFollowups, visitView, type PhotoViewModel, type RegionFinding } from '../server/protocol/followup.ts';
import { backupEntry } from '../server/protocol/backups.ts';
import type { TreatmentView } from '../server/protocol/plan.ts';
import { noisyJpeg, phonePhoto } from './helpers/photos.ts';
import { ADMIN_TOKEN, startTestServer, type TestServer } from './helpers/server.ts';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

type Headers = Record<string, string>;
const PATIENT = 'P-2041';

/**
 * A clinic with two chairs: Ana operated the patient's first session on chair 1, Ben works chair 2.
 * `as.x` are the headers of each caller: the admin token, or a tablet's cookie.
 */
async function clinic() {
  const server = await startTestServer({ backups: { nightlyAt: null } });
  cleanup.push(() => server.dispose());
  const own = await server.api.createChair('Chair 1');
  const other = await server.api.createChair('Chair 2');
  const person = async (name: string, role: string, secret: string) =>
    ((await (await server.request('POST', '/api/people', { name, role, secret })).json()) as { id: string }).id;
  const ana = await person('Ana', 'operator', '4821');
  const ben = await person('Ben', 'operator', '5932');
  const treatment = (await (await server.request('POST', '/api/treatments', { patientRef: PATIENT, sessions: 3 })).json()) as TreatmentView;
  const session = await server.api.startSession({ chairId: own.id, operatorId: ana, patientRef: PATIENT, planId: treatment.plans[0]!.id });
  await server.api.endSession(session.id);
  const tablet = async (personId: string, secret: string, chairId: string): Promise<Headers> => {
    const response = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify({ personId, secret, chairId }),
    });
    return { cookie: response.headers.get('set-cookie')!.split(';')[0]!, origin: server.url };
  };
  const as = {
    admin: { authorization: `Bearer ${ADMIN_TOKEN}` } as Headers,
    ana: await tablet(ana, '4821', own.id),
    ben: await tablet(ben, '5932', other.id),
    nobody: {} as Headers,
  };
  return { server, treatment, as, chairs: { own: own.id, other: other.id }, people: { ana, ben } };
}

type Clinic = Awaited<ReturnType<typeof clinic>>;

function call(server: TestServer, headers: Headers, method: string, path: string, body?: unknown): Promise<Response> {
  const json = body !== undefined && !(body instanceof FormData);
  return fetch(`${server.url}${path}`, {
    method,
    headers: { ...headers, ...(json && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: json ? JSON.stringify(body) : (body as FormData) }),
  });
}

async function addVisit(c: Clinic, findings: Array<Omit<RegionFinding, 'note'> & { note?: string }>, headers = c.as.admin, visitedAt?: number) {
  const response = await call(c.server, headers, 'POST', `/api/treatments/${c.treatment.id}/visits`, { findings, note: 'four weeks after session 1', visitedAt });
  expect(response.status).toBe(201);
  return visitView.parse(await response.json());
}

function photoForm(bytes: Uint8Array, region = 'crown', view = 'top', type = 'image/jpeg'): FormData {
  const form = new FormData();
  form.set('file', new Blob([Buffer.from(bytes)], { type }), 'photo.jpg');
  form.set('region', region);
  form.set('view', view);
  return form;
}

async function upload(c: Clinic, visitId: string, bytes: Uint8Array, headers = c.as.admin): Promise<PhotoViewModel> {
  const response = await call(c.server, headers, 'POST', `/api/visits/${visitId}/photos`, photoForm(bytes));
  expect(response.status, await response.clone().text()).toBe(201);
  return photoView.parse(await response.json());
}

const photoFiles = (c: Clinic) => readdirSync(join(c.server.dataDir, 'photos')).sort();

describe('follow-up visits', () => {
  it('a visit is stored with its findings; the list is newest first, with each region\'s latest findings', async () => {
    const c = await clinic();
    const first = await addVisit(c, [{ region: 'crown', finding: 'faded', note: 'left side lighter' }, { region: 'frontal', finding: 'healed-well' }], c.as.admin, Date.now() - 30 * 86_400_000);
    const second = await addVisit(c, [{ region: 'crown', finding: 'healed-well' }]);
    const answer = treatmentFollowups.parse(await (await call(c.server, c.as.admin, 'GET', `/api/treatments/${c.treatment.id}/visits`)).json());
    expect(answer.visits.map((v) => v.id)).toEqual([second.id, first.id]);
    expect(answer.visits[1]!.findings).toEqual([
      { region: 'crown', finding: 'faded', note: 'left side lighter' },
      { region: 'frontal', finding: 'healed-well', note: '' },
    ]);
    expect(answer.latest.crown).toMatchObject({ visitId: second.id, findings: [{ finding: 'healed-well' }] });
    expect(answer.latest.frontal).toMatchObject({ visitId: first.id });
    expect(answer.laserBlock).toBeNull();
  });

  it('a region with the same finding twice, an unknown region or a visit dated in the future is refused', async () => {
    const c = await clinic();
    const path = `/api/treatments/${c.treatment.id}/visits`;
    const twice = [{ region: 'crown', finding: 'faded' }, { region: 'crown', finding: 'faded' }];
    expect((await call(c.server, c.as.admin, 'POST', path, { findings: twice })).status).toBe(400);
    expect((await call(c.server, c.as.admin, 'POST', path, { findings: [], visitedAt: Date.now() + 7 * 86_400_000 })).status).toBe(400);
    expect((await call(c.server, c.as.admin, 'POST', path, { findings: [{ region: 'nowhere', finding: 'faded' }] })).status).toBe(400);
  });
});

describe('follow-up photos', () => {
  it('a phone photo\'s GPS position, make and model are gone from what is stored and served, and it is upright', async () => {
    const c = await clinic();
    const visit = await addVisit(c, [{ region: 'crown', finding: 'healed-well' }]);
    const original = await phonePhoto(400, 300);
    const before = await sharp(original).metadata();
    expect(before.exif?.toString('latin1')).toContain('Pocket 9 Pro');
    // The GPS IFD pointer, tag 0x8825, in either byte order.
    expect(before.exif?.includes(Buffer.from([0x25, 0x88])) || before.exif?.includes(Buffer.from([0x88, 0x25]))).toBe(true);

    const photo = await upload(c, visit.id, original);
    expect(photo).toMatchObject({ visitId: visit.id, region: 'crown', view: 'top', width: 300, height: 400 });
    for (const path of [`/api/photos/${photo.id}`, `/api/photos/${photo.id}/thumb`]) {
      const served = await call(c.server, c.as.admin, 'GET', path);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe('image/jpeg');
      expect(served.headers.get('cache-control')).toBe('no-store');
      const bytes = Buffer.from(await served.arrayBuffer());
      const meta = await sharp(bytes).metadata();
      expect(meta.format).toBe('jpeg');
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(bytes.includes('Pocket 9 Pro')).toBe(false);
    }
    const [stored] = photoFiles(c).filter((name) => !name.includes('thumb'));
    const onDisk = readFileSync(join(c.server.dataDir, 'photos', stored!));
    expect((await sharp(onDisk).metadata()).exif).toBeUndefined();
  });

  it('the same photo sent twice is one file on disk, named by its SHA-256', async () => {
    const c = await clinic();
    const visit = await addVisit(c, []);
    const original = await phonePhoto();
    const a = await upload(c, visit.id, original);
    const b = await upload(c, visit.id, original);
    expect(b.id).not.toBe(a.id);
    const files = photoFiles(c);
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^[0-9a-f]{64}\.jpg$/);
    expect(files[1]).toBe(files[0]!.replace('.jpg', '.thumb.jpg'));
    await upload(c, visit.id, await phonePhoto(400, 300, { r: 20, g: 20, b: 20 }));
    expect(photoFiles(c)).toHaveLength(4);
  });

  it('a file that is no picture (415), one over the size limit (413) and one that cannot be decoded (400) are refused with a message', async () => {
    const c = await clinic();
    const visit = await addVisit(c, []);
    const send = (bytes: Uint8Array, type = 'image/jpeg') => call(c.server, c.as.admin, 'POST', `/api/visits/${visit.id}/photos`, photoForm(bytes, 'crown', 'top', type));
    const expectRefusal = async (response: Response, status: number, says: RegExp) => {
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(says);
    };
    await expectRefusal(await send(Buffer.from('name,dob\nJohn,1970-01-01\n'), 'text/csv'), 415, /not a photo/);
    await expectRefusal(await send(new Uint8Array(MAX_PHOTO_BYTES + 1)), 413, /limit is 15 MB/);
    const whole = await noisyJpeg();
    await expectRefusal(await send(whole.subarray(0, whole.length / 2)), 400, /could not be read/);
    const noFile = new FormData();
    noFile.set('region', 'crown');
    noFile.set('view', 'top');
    expect((await call(c.server, c.as.admin, 'POST', `/api/visits/${visit.id}/photos`, noFile)).status).toBe(400);
    expect(readdirSync(c.server.dataDir)).not.toContain('photos');
  });

  it('visits and photos are refused to no one signed in (401) and to another chair\'s operator (403); the session\'s own operator on its chair records and sees them', async () => {
    const c = await clinic();
    const visit = await addVisit(c, [{ region: 'crown', finding: 'faded' }], c.as.ana);
    expect(visit.recordedBy).toBe('Ana');
    const photo = await upload(c, visit.id, await phonePhoto(), c.as.ana);
    const routes: Array<[string, string, unknown?]> = [
      ['GET', `/api/treatments/${c.treatment.id}/visits`],
      ['POST', `/api/treatments/${c.treatment.id}/visits`, { findings: [] }],
      ['GET', `/api/photos/${photo.id}`],
      ['GET', `/api/photos/${photo.id}/thumb`],
    ];
    for (const [method, path, body] of routes) {
      expect((await call(c.server, c.as.nobody, method, path, body)).status, `${method} ${path}`).toBe(401);
      expect((await call(c.server, c.as.ben, method, path, body)).status, `${method} ${path}`).toBe(403);
      expect((await call(c.server, c.as.ana, method, path, body)).status, `${method} ${path}`).toBeLessThan(300);
    }
    const upload403 = await call(c.server, c.as.ben, 'POST', `/api/visits/${visit.id}/photos`, photoForm(await phonePhoto()));
    expect(upload403.status).toBe(403);
    expect((await call(c.server, c.as.nobody, 'POST', `/api/visits/${visit.id}/photos`, photoForm(await phonePhoto()))).status).toBe(401);
    // Ana on another chair's tablet is not on the chair of the session.
    const anaElsewhere = await fetch(`${c.server.url}/api/auth/sign-in`, {
      method: 'POST', headers: { 'content-type': 'application/json', origin: c.server.url }, body: JSON.stringify({ personId: c.people.ana, secret: '4821', chairId: c.chairs.other }),
    });
    const elsewhere = { cookie: anaElsewhere.headers.get('set-cookie')!.split(';')[0]! };
    expect((await call(c.server, elsewhere, 'GET', `/api/photos/${photo.id}`)).status).toBe(403);
  });

  it('every view of a photo and every change is in the audit trail', async () => {
    const c = await clinic();
    const visit = await addVisit(c, [{ region: 'crown', finding: 'needs-laser' }]);
    const photo = await upload(c, visit.id, await phonePhoto(), c.as.ana);
    await call(c.server, c.as.ana, 'GET', `/api/photos/${photo.id}`);
    await call(c.server, c.as.admin, 'GET', `/api/photos/${photo.id}/thumb`);
    await call(c.server, c.as.ben, 'GET', `/api/photos/${photo.id}`);
    await call(c.server, c.as.admin, 'POST', `/api/treatments/${c.treatment.id}/laser-clearance`, { reason: 'laser session done on 3 March' });
    const audit = (action: string) => call(c.server, c.as.admin, 'GET', `/api/audit?action=${action}`).then((r) => r.json() as Promise<Array<{ target: string; detail: Record<string, unknown> }>>);
    const views = await audit('photo.view');
    expect(views.map((v) => [v.target, v.detail.by, v.detail.size])).toEqual([
      [photo.id, 'admin token', 'thumb'],
      [photo.id, 'Ana', 'full'],
    ]);
    expect((await audit('photo.add')).map((a) => a.target)).toEqual([photo.id]);
    expect((await audit('followup.visit')).map((a) => a.target)).toEqual([visit.id]);
    expect((await audit('laser.clear'))[0]).toMatchObject({ target: c.treatment.id, detail: { visitIds: [visit.id], regions: ['crown'] } });
  });

  it('photos go into a backup\'s files', async () => {
    const c = await clinic();
    const visit = await addVisit(c, []);
    await upload(c, visit.id, await phonePhoto());
    const response = await call(c.server, c.as.admin, 'POST', '/api/backups?wait=true');
    expect(response.status).toBe(201);
    const backup = backupEntry.parse(await response.json());
    const inBackup = backup.files.map((f) => f.path).filter((p) => p.startsWith('photos/')).sort();
    expect(inBackup).toEqual(photoFiles(c).map((name) => `photos/${name}`));
    for (const name of photoFiles(c)) expect(readFileSync(join(backup.path, 'photos', name)).equals(readFileSync(join(c.server.dataDir, 'photos', name)))).toBe(true);
  });
});

describe('the laser block', () => {
  it('a "needs laser" finding blocks a session of the treatment with 409 naming the region, until a supervisor clears it', async () => {
    const c = await clinic();
    await addVisit(c, [{ region: 'crown', finding: 'needs-laser', note: 'blot at the whorl' }, { region: 'frontal', finding: 'healed-well' }]);
    const start = () => call(c.server, c.as.admin, 'POST', '/api/sessions', { chairId: c.chairs.own, operatorId: 'op-1', patientRef: PATIENT, planId: c.treatment.plans[1]!.id });
    const blocked = await start();
    expect(blocked.status).toBe(409);
    const { error } = (await blocked.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('laser_first');
    expect(error.message).toMatch(/Crown needing laser before the next session/);
    expect(error.message).not.toMatch(/Frontal/);
    const followups = treatmentFollowups.parse(await (await call(c.server, c.as.admin, 'GET', `/api/treatments/${c.treatment.id}/visits`)).json());
    expect(followups.laserBlock?.regions).toEqual(['crown']);
    // Nor can it be dodged: a later visit with only another region's finding, or a session without the plan.
    await addVisit(c, [{ region: 'occipital', finding: 'healed-well' }]);
    expect((await start()).status).toBe(409);
    const planless = await call(c.server, c.as.admin, 'POST', '/api/sessions', { chairId: c.chairs.own, operatorId: 'op-1', patientRef: PATIENT });
    expect(planless.status).toBe(409);

    const clear = (headers: Headers, reason: string) => call(c.server, headers, 'POST', `/api/treatments/${c.treatment.id}/laser-clearance`, { reason });
    expect((await clear(c.as.ana, 'laser done')).status).toBe(403);
    expect((await clear(c.as.admin, 'ok')).status).toBe(400);
    expect((await clear(c.as.admin, 'Q-switched laser done, healed')).status).toBe(201);
    expect((await clear(c.as.admin, 'Q-switched laser done, healed')).status).toBe(409);
    expect((await start()).status).toBe(201);
  });
});
