import type { Db } from './db.ts';
import { newId } from './ids.ts';

export interface Chair {
  id: string;
  name: string;
  /** The region the operator last selected on the tablet; dots without a region go there. */
  selectedRegion: string | null;
  createdAt: number;
}

const columns = 'id, name, selected_region AS selectedRegion, created_at AS createdAt';

export function chairStore(db: Db) {
  const insert = db.prepare('INSERT INTO chairs (id, name, created_at) VALUES (?, ?, ?)');
  const byId = db.prepare<[string], Chair>(`SELECT ${columns} FROM chairs WHERE id = ?`);
  const all = db.prepare<[], Chair>(`SELECT ${columns} FROM chairs ORDER BY created_at, rowid`);
  const setRegion = db.prepare('UPDATE chairs SET selected_region = ? WHERE id = ?');

  return {
    create(name: string, now: number): Chair {
      const chair: Chair = { id: newId('ch'), name, selectedRegion: null, createdAt: now };
      insert.run(chair.id, chair.name, chair.createdAt);
      return chair;
    },
    get: (id: string): Chair | undefined => byId.get(id),
    list: (): Chair[] => all.all(),
    selectRegion(id: string, region: string): void {
      setRegion.run(region, id);
    },
  };
}

export type ChairStore = ReturnType<typeof chairStore>;
