import { Hono } from 'hono';
import { clinicProfile, type SetupChecklist } from '../../protocol/setup.ts';
import { setupSteps } from '../../setup/checklist.ts';
import { clinicSetting } from '../../setup/clinic.ts';
import { setupProgressSetting } from '../../setup/progress.ts';
import { readSetupFacts } from '../../setup/setup-facts.ts';
import { recordAudit } from '../audit-log.ts';
import { readBody } from '../body.ts';
import type { AppEnv } from '../caller-auth.ts';
import type { ApiDeps } from '../deps.ts';

/** The clinic's name: every screen may show it, an admin sets it. */
export function clinicRoutes(deps: ApiDeps) {
  const { store } = deps;
  return new Hono<AppEnv>()
    .get('/', (c) => c.json({ name: clinicSetting(store.settings).get()?.name ?? null }))
    .put('/', async (c) => {
      const profile = await readBody(c, clinicProfile);
      clinicSetting(store.settings).save(profile);
      recordAudit(deps, c, 'clinic.name', null, profile);
      return c.json(profile);
    });
}

/** The first-run checklist: each step worked out from the clinic's state on every call. */
export function setupRoutes(deps: ApiDeps) {
  const { store, clock } = deps;
  const checklist = (): SetupChecklist => {
    const steps = setupSteps(readSetupFacts(store));
    const progress = setupProgressSetting(store.settings);
    if (steps.every((s) => s.done) && progress.get().completedAt === null) progress.completed(clock.now());
    const { completedAt, dismissedAt } = progress.get();
    return { steps, closed: completedAt !== null ? 'complete' : dismissedAt !== null ? 'dismissed' : null };
  };
  return new Hono<AppEnv>()
    .get('/checklist', (c) => c.json(checklist()))
    .post('/dismiss', (c) => {
      const before = checklist();
      if (before.closed === null) {
        setupProgressSetting(store.settings).dismissed(clock.now());
        recordAudit(deps, c, 'setup.dismiss', null, { stepsLeft: before.steps.filter((s) => !s.done).map((s) => s.id) });
      }
      return c.json(checklist());
    });
}
