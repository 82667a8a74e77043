import { Hono } from 'hono';
import { z } from 'zod';
import { hashToken, newToken } from '../../auth/tokens.ts';
import { readBody } from '../body.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

const newDevice = z.object({
  chairId: z.string().min(1, 'pick the chair this handpiece works at'),
  name: z.string().trim().min(1, 'a device needs a name').max(60),
});

export function deviceRoutes({ store, registry, clock }: ApiDeps) {
  return new Hono()
    .get('/', (c) =>
      c.json(
        store.devices.list().map(({ key: _key, ...device }) => ({ ...device, online: registry.isOnline(device.id) })),
      ),
    )
    .post('/', async (c) => {
      const { chairId, name } = await readBody(c, newDevice);
      if (!store.chairs.get(chairId)) throw ApiError.notFound(`chair ${chairId}`);
      const token = newToken();
      const device = store.devices.create({ chairId, name, tokenHash: hashToken(token), now: clock.now() });
      // The token is shown here and never again: only its hash is kept.
      return c.json({ id: device.id, token, chairId, name }, 201);
    })
    .get('/:id/incidents', (c) => {
      const device = store.devices.get(c.req.param('id'));
      if (!device) throw ApiError.notFound(`device ${c.req.param('id')}`);
      return c.json(store.devices.recentIncidents(device.key));
    });
}
