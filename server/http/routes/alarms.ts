import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { mayUseChair } from '../../auth/roles.ts';
import { alarmSetting } from '../../alarms/settings.ts';
import { alarmSettings, CONDITION_IDS, PRIORITIES, silenceBody, type AlarmHistory } from '../../protocol/alarms.ts';
import { DAY_MS } from '../../protocol/days.ts';
import { setupProgressSetting } from '../../setup/progress.ts';
import { recordAudit } from '../audit-log.ts';
import { readBody } from '../body.ts';
import type { AppEnv } from '../caller-auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

const historyQuery = z.object({
  days: z.coerce.number().int().min(1).max(90).default(7),
  condition: z.enum(CONDITION_IDS).optional(),
  priority: z.enum(PRIORITIES).optional(),
  chairId: z.string().min(1).optional(),
});

/** Alarms: the open ones acknowledged and silenced by people, the history for tuning. */
export function alarmRoutes(deps: ApiDeps) {
  const { store, alarms, clock } = deps;

  const openAlarm = (c: Context<AppEnv>) => {
    const id = Number(c.req.param('id'));
    const alarm = alarms.book.open().find((a) => a.id === id);
    if (!alarm) throw ApiError.notFound(`open alarm ${c.req.param('id')}`);
    if (!mayUseChair(c.get('caller'), alarm.chairId)) throw ApiError.otherChair();
    return alarm;
  };
  const who = (c: Context<AppEnv>) => c.get('caller').name;

  return new Hono<AppEnv>()
    .get('/', (c) => {
      const query = historyQuery.safeParse(c.req.query());
      if (!query.success) throw ApiError.invalid(query.error);
      const { days, ...filter } = query.data;
      const to = clock.now() + 1;
      const range = { from: to - days * DAY_MS, to, ...filter };
      const history: AlarmHistory = { alarms: store.alarms.history(range), perDay: store.alarms.perDay(range) };
      return c.json(history);
    })
    .get('/settings', (c) => c.json(alarmSetting(store.settings).get()))
    .put('/settings', async (c) => {
      const settings = await readBody(c, alarmSettings);
      alarmSetting(store.settings).save(settings);
      alarms.settings = settings;
      setupProgressSetting(store.settings).reviewed('alarms', clock.now());
      deps.hub.emit('settings', {});
      recordAudit(deps, c, 'alarms.settings', null, settings);
      return c.json(settings);
    })
    .get('/:id/events', (c) => {
      const events = store.alarms.events(Number(c.req.param('id')));
      // Every alarm has its 'raised' event: none means no such alarm.
      if (events.length === 0) throw ApiError.notFound(`alarm ${c.req.param('id')}`);
      return c.json(events);
    })
    .post('/:id/ack', (c) => {
      const alarm = openAlarm(c);
      const result = alarms.acknowledge(alarm.id, who(c));
      if (!result.ok) throw new ApiError(409, 'conflict', result.reason);
      recordAudit(deps, c, 'alarm.ack', String(alarm.id), { chairId: alarm.chairId, condition: alarm.condition });
      return c.json({ ok: true });
    })
    .post('/:id/silence', async (c) => {
      const alarm = openAlarm(c);
      const { minutes } = await readBody(c, silenceBody);
      const result = alarms.silence(alarm.id, who(c), minutes * 60_000);
      if (!result.ok) throw new ApiError(409, 'conflict', result.reason);
      recordAudit(deps, c, 'alarm.silence', String(alarm.id), { chairId: alarm.chairId, condition: alarm.condition, minutes });
      return c.json({ ok: true });
    });
}
