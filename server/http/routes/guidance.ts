import { Hono } from 'hono';
import { guidanceSettings } from '../../protocol/guidance.ts';
import { guidanceSettingsOf, saveGuidanceSettings } from '../../guidance/settings.ts';
import { recordAudit } from '../audit-log.ts';
import { readBody } from '../body.ts';
import type { AppEnv } from '../caller-auth.ts';
import type { ApiDeps } from '../deps.ts';

/** The thresholds behind the guidance hints: the clinic's to set, and said in every overwork hint. */
export function guidanceRoutes(deps: ApiDeps) {
  const { store, coverage } = deps;
  return new Hono<AppEnv>()
    .get('/settings', (c) => c.json(guidanceSettingsOf(store.settings)))
    .put('/settings', async (c) => {
      const settings = await readBody(c, guidanceSettings);
      saveGuidanceSettings(store.settings, settings);
      coverage.rules.settings = settings;
      recordAudit(deps, c, 'guidance.settings', null, settings);
      return c.json(settings);
    });
}
