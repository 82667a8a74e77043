import { randomBytes, randomInt } from 'node:crypto';
import type { Role } from '../server/auth/roles.ts';
import type { StippleApi } from './api-client.ts';

export interface DemoPerson {
  name: string;
  role: Role;
  /** The operator's PIN, the supervisor's password. */
  secret: string;
}

/**
 * The demo's operator and supervisor, so that a newcomer can try a tablet's sign-in. Their PIN and
 * password are new each run, like the demo's admin token, and the earlier run's pair is disabled:
 * the demo's data dir is the default one, and a box later started on it with `npm start` must not
 * carry sign-ins printed in somebody's terminal.
 */
export async function addDemoPeople(api: StippleApi): Promise<{ operator: DemoPerson; supervisor: DemoPerson }> {
  const operator: DemoPerson = { name: 'Demo operator', role: 'operator', secret: String(randomInt(10_000)).padStart(4, '0') };
  const supervisor: DemoPerson = { name: 'Demo supervisor', role: 'supervisor', secret: `demo-${randomBytes(6).toString('base64url')}` };
  const demoNames = new Set([operator.name, supervisor.name]);
  for (const earlier of await api.people()) {
    if (earlier.disabledAt === null && demoNames.has(earlier.name)) await api.disablePerson(earlier.id);
  }
  await api.addPerson(operator);
  await api.addPerson(supervisor);
  return { operator, supervisor };
}
