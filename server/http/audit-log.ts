import type { Context } from 'hono';
import type { AuditStore } from '../store/audit.ts';
import type { Clock } from '../clock.ts';
import type { AppEnv } from './caller-auth.ts';

/** Records what the caller of this request did, in the append-only audit trail. */
export function recordAudit(
  deps: { store: { audit: AuditStore }; clock: Clock },
  c: Context<AppEnv>,
  action: string,
  target: string | null,
  detail: Record<string, unknown> = {},
): void {
  const caller = c.get('caller');
  deps.store.audit.append({ at: deps.clock.now(), actor: caller.personId ?? 'admin-token', action, target, detail: { by: caller.name, ...detail } });
}
