import { Hono } from 'hono';
import { guidanceSettings } from '../../protocol/guidance.ts';
import { guidanceSetting } from '../../guidance/settings.ts';
import { recordAudit } from '../audit-log.ts';
import { readBody } from '../body.ts';
import type { AppEnv } from '../caller-auth.ts';
import type { ApiDeps } from '../deps.ts';

/** The thresholds behind the guidance hints: the clinic's to set, and said in every overwork hint. */
export function guidanceRoutes(deps: ApiDeps) {
  const { store, coverage } = deps;
  return new Hono<AppEnv>()
    .get('/settings', (c) => c.json(guidanceSetting(store.settings).get()))
    .put('/settings', async (c) => {
      const settings = await readBody(c, guidanceSettings);
      guidanceSetting(store.settings).save(settings);
      coverage.rules.settings = settings;
      recordAudit(deps, c, 'guidance.settings', null, settings);
      return c.json(settings);
    });
}
