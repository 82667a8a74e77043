import { Hono } from 'hono';
import { z } from 'zod';
import { ROLES } from '../../auth/roles.ts';
import { hashSecret } from '../../auth/secrets.ts';
import { NameTaken } from '../../store/people.ts';
import { recordAudit } from '../audit-log.ts';
import { readBody } from '../body.ts';
import type { AppEnv } from '../caller-auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';

/** Operators sign in with a short PIN (fast with gloves); supervisors and admins with a password. */
export const newPersonBody = z
  .object({
    name: z.string().trim().min(1, 'a person needs a name').max(60),
    role: z.enum(ROLES),
    secret: z.string(),
  })
  .superRefine((p, ctx) => {
    if (p.role === 'operator' && !/^\d{4,8}$/.test(p.secret)) {
      ctx.addIssue({ code: 'custom', path: ['secret'], message: 'an operator\'s PIN is 4 to 8 digits' });
    }
    if (p.role !== 'operator' && p.secret.length < 10) {
      ctx.addIssue({ code: 'custom', path: ['secret'], message: 'a password has at least 10 characters' });
    }
  });

export function peopleRoutes(deps: ApiDeps) {
  const { store, clock } = deps;
  return new Hono<AppEnv>()
    .get('/', (c) => c.json(store.people.list()))
    .post('/', async (c) => {
      const input = await readBody(c, newPersonBody);
      let person;
      try {
        person = store.people.create({ name: input.name, role: input.role, secretHash: await hashSecret(input.secret), now: clock.now() });
      } catch (error) {
        if (error instanceof NameTaken) throw new ApiError(409, 'conflict', error.message, { name: error.message });
        throw error;
      }
      recordAudit(deps, c, 'person.add', person.id, { name: person.name, role: person.role });
      return c.json(person, 201);
    })
    .post('/:id/disable', (c) => {
      const person = store.people.get(c.req.param('id'));
      if (!person) throw ApiError.notFound(`person ${c.req.param('id')}`);
      store.people.disable(person.id, clock.now());
      store.browserSessions.revokePerson(person.id);
      recordAudit(deps, c, 'person.disable', person.id, { name: person.name });
      return c.json(store.people.get(person.id));
    });
}
