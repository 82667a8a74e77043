import { Hono } from 'hono';
import { hashToken, newToken } from '../../auth/tokens.ts';
import { newDeviceBody } from '../../protocol/api.ts';
import { readBody } from '../body.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

export function deviceRoutes({ store, registry, hub, clock }: ApiDeps) {
  return new Hono()
    .get('/', (c) =>
      c.json(
        store.devices.list().map(({ key: _key, ...device }) => ({ ...device, online: registry.isOnline(device.id) })),
      ),
    )
    .post('/', async (c) => {
      const { chairId, name } = await readBody(c, newDeviceBody);
      if (!store.chairs.get(chairId)) throw ApiError.notFound(`chair ${chairId}`);
      const token = newToken();
      const device = store.devices.create({ chairId, name, tokenHash: hashToken(token), now: clock.now() });
      hub.emit('setup', { chairId });
      // The token is shown here and never again: only its hash is kept.
      return c.json({ id: device.id, token, chairId, name }, 201);
    })
    .get('/:id/incidents', (c) => {
      const device = store.devices.get(c.req.param('id'));
      if (!device) throw ApiError.notFound(`device ${c.req.param('id')}`);
      return c.json(store.devices.recentIncidents(device.key));
    });
}
