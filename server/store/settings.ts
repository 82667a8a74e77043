import type { z } from 'zod';
import type { Db } from './db.ts';

export function settingsStore(db: Db) {
  const read = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const write = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const get = (key: string): string | undefined => read.get(key)?.value;
  const set = (key: string, value: string): void => {
    write.run(key, value);
  };
  return {
    get,
    set,
    /**
     * A setting kept as JSON and read back through its schema: the default until one is saved, or
     * when a saved one no longer fits the schema (an older version's).
     */
    json<T>(key: string, schema: z.ZodType<T>, fallback: T) {
      return {
        get(): T {
          const stored = get(key);
          const parsed = stored === undefined ? undefined : schema.safeParse(JSON.parse(stored));
          return parsed?.success ? parsed.data : fallback;
        },
        save(value: T): void {
          set(key, JSON.stringify(value));
        },
      };
    },
  };
}

export type SettingsStore = ReturnType<typeof settingsStore>;
