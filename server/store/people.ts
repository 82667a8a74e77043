import type { Role } from '../auth/roles.ts';
import type { Db } from './db.ts';
import { newId } from './ids.ts';

export interface Person {
  id: string;
  name: string;
  role: Role;
  createdAt: number;
  disabledAt: number | null;
}

export class NameTaken extends Error {}

const columns = 'id, name, role, created_at AS createdAt, disabled_at AS disabledAt';

export function peopleStore(db: Db) {
  const insert = db.prepare('INSERT INTO people (id, name, role, secret_hash, created_at) VALUES (?, ?, ?, ?, ?)');
  const byId = db.prepare<[string], Person>(`SELECT ${columns} FROM people WHERE id = ?`);
  const secret = db.prepare<[string], { secretHash: string }>(
    'SELECT secret_hash AS secretHash FROM people WHERE id = ? AND disabled_at IS NULL',
  );
  const all = db.prepare<[], Person>(`SELECT ${columns} FROM people ORDER BY disabled_at IS NOT NULL, name`);
  const disable = db.prepare('UPDATE people SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL');

  return {
    create(input: { name: string; role: Role; secretHash: string; now: number }): Person {
      const id = newId('pe');
      try {
        insert.run(id, input.name, input.role, input.secretHash, input.now);
      } catch (error) {
        if (error instanceof Error && 'code' in error && error.code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new NameTaken(`someone active is already called ${input.name}`);
        }
        throw error;
      }
      return byId.get(id)!;
    },
    get: (id: string): Person | undefined => byId.get(id),
    /** The stored hash of an active person's PIN or password. */
    secretHash: (id: string): string | undefined => secret.get(id)?.secretHash,
    list: (): Person[] => all.all(),
    disable(id: string, now: number): void {
      disable.run(now, id);
    },
  };
}

export type PeopleStore = ReturnType<typeof peopleStore>;
