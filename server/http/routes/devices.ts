import { Hono } from 'hono';
import { hashToken, newToken } from '../../auth/tokens.ts';
import { newDeviceBody } from '../../protocol/api.ts';
import type { Device } from '../../store/devices.ts';
import { recordAudit } from '../audit-log.ts';
import { readBody } from '../body.ts';
import type { AppEnv } from '../caller-auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

export function deviceRoutes(deps: ApiDeps) {
  const { store, registry, hub, clock } = deps;
  // Shown with every new token: the handpiece pins this CA for wss://.
  const pin = () => (deps.tls ? { caFingerprint: deps.tls.material.caFingerprint } : {});
  const find = (id: string): Device => {
    const device = store.devices.get(id);
    if (!device) throw ApiError.notFound(`device ${id}`);
    return device;
  };

  return new Hono<AppEnv>()
    .get('/', (c) =>
      c.json(store.devices.list().map(({ key: _key, ...device }) => ({ ...device, online: registry.isOnline(device.id) }))),
    )
    .post('/', async (c) => {
      const { chairId, name } = await readBody(c, newDeviceBody);
      if (!store.chairs.get(chairId)) throw ApiError.notFound(`chair ${chairId}`);
      const token = newToken();
      const device = store.devices.create({ chairId, name, tokenHash: hashToken(token), now: clock.now() });
      recordAudit(deps, c, 'device.pair', device.id, { chairId, name });
      hub.emit('setup', { chairId });
      // The token is shown here and never again: only its hash is kept.
      return c.json({ id: device.id, token, chairId, name, ...pin() }, 201);
    })
    .get('/:id/incidents', (c) => c.json(store.devices.recentIncidents(find(c.req.param('id')).key)))
    .post('/:id/revoke', (c) => {
      const device = find(c.req.param('id'));
      store.devices.revoke(device.id, clock.now());
      registry.revoke(device.id);
      recordAudit(deps, c, 'device.revoke', device.id, { name: device.name });
      hub.emit('setup', { chairId: device.chairId });
      return c.json({ id: device.id, revoked: true });
    })
    .post('/:id/rotate', (c) => {
      const device = find(c.req.param('id'));
      if (device.revokedAt !== null) throw new ApiError(409, 'conflict', 'a revoked device cannot get a new token');
      const token = newToken();
      store.devices.replaceToken(device.id, hashToken(token));
      registry.disconnect(device.id, 'this device has a new token');
      recordAudit(deps, c, 'device.rotate', device.id, { name: device.name });
      return c.json({ id: device.id, token, chairId: device.chairId, name: device.name, ...pin() });
    });
}
