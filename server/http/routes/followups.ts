import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { laserBlock } from '../../followup/laser.ts';
import type { PhotoSize } from '../../followup/photo-files.ts';
import { preparePhoto, PhotoRefused, type PhotoRefusal, type PreparedPhoto } from '../../followup/photos.ts';
import { clearanceBody, newVisitBody, PHOTO_VIEWS, type TreatmentFollowups } from '../../protocol/followup.ts';
import { regionId } from '../../protocol/v1.ts';
import { recordAudit } from '../audit-log.ts';
import { readBody } from '../body.ts';
import type { AppEnv } from '../caller-auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

const REFUSAL_STATUS = { 'not-an-image': 415, 'too-large': 413, unreadable: 400 } as const satisfies Record<PhotoRefusal, number>;
const REFUSAL_CODE = { 'not-an-image': 'not_an_image', 'too-large': 'too_large', unreadable: 'unreadable_image' } as const satisfies Record<PhotoRefusal, string>;

const photoFields = z.object({
  region: regionId,
  view: z.enum(PHOTO_VIEWS, { error: `a view is one of: ${PHOTO_VIEWS.join(', ')}` }),
});

/** A tablet's clock may run a little ahead of the box's; a visit further ahead than this is a typing slip. */
const FUTURE_SLACK_MS = 60 * 60_000;

/**
 * Follow-up visits between sessions: findings per region, photos, the laser clearance. Staff see
 * every treatment's; an operator sees a treatment's only on the tablet of a chair where they
 * operated one of its sessions. Photos are patient data: every view is in the audit trail.
 */
export function followupRoutes(deps: ApiDeps) {
  const { store, clock, photos } = deps;

  /** The treatment of `treatmentId`, refused unless the caller may follow it. */
  function followed(c: Context<AppEnv>, treatmentId: string): string {
    if (!store.plans.treatment(treatmentId)) throw ApiError.notFound(`treatment ${treatmentId}`);
    const caller = c.get('caller');
    const allowed = caller.role !== 'operator' ||
      (caller.chairId !== null && caller.personId !== null && store.followups.operatedOnChair(treatmentId, caller.chairId, caller.personId));
    if (!allowed) throw new ApiError(403, 'forbidden', 'this patient\'s follow-ups are for staff, and for their operator on the chair of their session');
    return treatmentId;
  }

  function followupsOf(treatmentId: string): TreatmentFollowups {
    return {
      visits: store.followups.visits(treatmentId),
      latest: store.followups.latestFindings(treatmentId),
      clearances: store.followups.clearances(treatmentId),
      laserBlock: laserBlock(store.followups, treatmentId) ?? null,
    };
  }

  async function prepared(upload: File): Promise<PreparedPhoto> {
    try {
      return await preparePhoto(new Uint8Array(await upload.arrayBuffer()));
    } catch (error) {
      if (!(error instanceof PhotoRefused)) throw error;
      throw new ApiError(REFUSAL_STATUS[error.reason], REFUSAL_CODE[error.reason], error.message, { file: error.message });
    }
  }

  async function servePhoto(c: Context<AppEnv>, size: PhotoSize) {
    const photo = store.followups.photo(c.req.param('id') ?? '');
    if (!photo) throw ApiError.notFound(`photo ${c.req.param('id')}`);
    followed(c, photo.treatmentId);
    const jpeg = await photos.read(photo.sha256, size).catch(() => {
      throw new ApiError(404, 'not_found', 'the photo\'s file is missing from this box: restore the photos folder from a backup');
    });
    recordAudit(deps, c, 'photo.view', photo.id, { treatmentId: photo.treatmentId, visitId: photo.visitId, size });
    return c.body(new Uint8Array(jpeg), 200, { 'content-type': 'image/jpeg', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  }

  return new Hono<AppEnv>()
    .get('/treatments/:id/visits', (c) => c.json(followupsOf(followed(c, c.req.param('id')))))
    .post('/treatments/:id/visits', async (c) => {
      const treatmentId = followed(c, c.req.param('id'));
      const input = await readBody(c, newVisitBody);
      const now = clock.now();
      if (input.visitedAt !== undefined && input.visitedAt > now + FUTURE_SLACK_MS) {
        throw new ApiError(400, 'invalid', 'the visit is in the future: give the day it took place', { visitedAt: 'the visit is in the future' });
      }
      const keys = input.findings.map((f) => `${f.region}/${f.finding}`);
      if (new Set(keys).size !== keys.length) {
        throw new ApiError(400, 'invalid', 'a region has the same finding twice', { findings: 'a region has the same finding twice' });
      }
      const visit = store.followups.addVisit({
        treatmentId, visitedAt: input.visitedAt ?? now, recordedBy: c.get('caller').name, note: input.note, findings: input.findings, createdAt: now,
      });
      recordAudit(deps, c, 'followup.visit', visit.id, {
        treatmentId, findings: visit.findings.map((f) => `${f.region}: ${f.finding}`),
      });
      return c.json(visit, 201);
    })
    .post('/treatments/:id/laser-clearance', async (c) => {
      const treatmentId = followed(c, c.req.param('id'));
      const { reason } = await readBody(c, clearanceBody);
      const block = laserBlock(store.followups, treatmentId);
      if (!block) throw new ApiError(409, 'conflict', 'no "needs laser" finding is waiting to be cleared for this treatment');
      const clearances = block.visitIds.map((visitId) =>
        store.followups.addClearance({ treatmentId, visitId, clearedBy: c.get('caller').name, reason, clearedAt: clock.now() }));
      recordAudit(deps, c, 'laser.clear', treatmentId, { visitIds: block.visitIds, regions: block.regions, reason });
      return c.json(clearances.at(-1), 201);
    })
    .post('/visits/:id/photos', async (c) => {
      const visit = store.followups.visit(c.req.param('id'));
      if (!visit) throw ApiError.notFound(`visit ${c.req.param('id')}`);
      followed(c, visit.treatmentId);
      const form = await c.req.parseBody().catch(() => {
        throw new ApiError(400, 'invalid', 'send the photo as a multipart form with file, region and view');
      });
      const fields = photoFields.safeParse(form);
      if (!fields.success) throw ApiError.invalid(fields.error);
      const upload = form.file;
      if (!(upload instanceof File)) throw new ApiError(400, 'invalid', 'the form has no photo: send it as "file"', { file: 'choose a photo' });
      const photo = await prepared(upload);
      await photos.save(photo.sha256, photo.jpeg, photo.thumb);
      const stored = store.followups.addPhoto({
        visitId: visit.id, ...fields.data, sha256: photo.sha256, width: photo.width, height: photo.height, bytes: photo.jpeg.byteLength, createdAt: clock.now(),
      });
      recordAudit(deps, c, 'photo.add', stored.id, { treatmentId: visit.treatmentId, visitId: visit.id, region: stored.region, view: stored.view });
      return c.json(stored, 201);
    })
    .get('/photos/:id', (c) => servePhoto(c, 'full'))
    .get('/photos/:id/thumb', (c) => servePhoto(c, 'thumb'));
}
