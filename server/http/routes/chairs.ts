import { Hono } from 'hono';
import { mayUseChair } from '../../auth/roles.ts';
import { newChairBody, regionSelectionBody, type ChairSummary } from '../../protocol/api.ts';
import { recordAudit } from '../audit-log.ts';
import { readBody } from '../body.ts';
import type { AppEnv } from '../caller-auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

export function chairRoutes(deps: ApiDeps) {
  const { store, registry, hub, clock } = deps;
  return new Hono<AppEnv>()
    .get('/', (c) => {
      const caller = c.get('caller');
      const devices = store.devices.list().filter((d) => d.revokedAt === null);
      const chairs = store.chairs
        .list()
        .filter((chair) => mayUseChair(caller, chair.id))
        .map((chair): ChairSummary => {
          const session = store.sessions.openForChair(chair.id);
          return {
            ...chair,
            devices: devices
              .filter((d) => d.chairId === chair.id)
              .map((d) => ({ id: d.id, name: d.name, fw: d.fw, online: registry.isOnline(d.id), lastSeenAt: d.lastSeenAt })),
            session: session
              ? { id: session.id, operatorId: session.operatorId, patientRef: session.patientRef, startedAt: session.startedAt }
              : null,
          };
        });
      return c.json(chairs);
    })
    .post('/', async (c) => {
      const { name } = await readBody(c, newChairBody);
      const chair = store.chairs.create(name, clock.now());
      recordAudit(deps, c, 'chair.add', chair.id, { name });
      hub.emit('setup', { chairId: chair.id });
      return c.json({ id: chair.id, name: chair.name, createdAt: chair.createdAt }, 201);
    })
    .put('/:id/region', async (c) => {
      const chairId = c.req.param('id');
      if (!store.chairs.get(chairId)) throw ApiError.notFound(`chair ${chairId}`);
      if (!mayUseChair(c.get('caller'), chairId)) throw ApiError.otherChair();
      const { region } = await readBody(c, regionSelectionBody);
      registry.selectRegion(chairId, region);
      recordAudit(deps, c, 'region.select', chairId, { region });
      hub.emit('region', { chairId, region });
      return c.json({ chairId, region });
    });
}
