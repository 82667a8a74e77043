import type { Db } from './db.ts';

export function settingsStore(db: Db) {
  const read = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const write = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  return {
    get: (key: string): string | undefined => read.get(key)?.value,
    set(key: string, value: string): void {
      write.run(key, value);
    },
  };
}

export type SettingsStore = ReturnType<typeof settingsStore>;
