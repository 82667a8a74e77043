import { localDay } from '../protocol/days.ts';

/** How many backups are kept: the newest of each of the last 7 days and of the last 4 weeks that have one. */
export const RETENTION = { daily: 7, weekly: 4 } as const;

/** The local Monday that begins the week of `at`, as its calendar day. */
export function localWeek(at: number): string {
  const d = new Date(at);
  const sinceMonday = (d.getDay() + 6) % 7;
  return localDay(new Date(d.getFullYear(), d.getMonth(), d.getDate() - sinceMonday).getTime());
}

/**
 * Which backups to keep and which to delete. Days and weeks count only when they have a backup
 * (as restic's --keep-daily and --keep-weekly do), so a box that was off for a month still keeps
 * its last 7 days of backups; a backup can be both a day's and a week's. The newest is always kept.
 * Pure: times in, the same items out.
 */
export function rotate<T extends { at: number }>(
  backups: readonly T[],
  retention: { daily: number; weekly: number } = RETENTION,
): { keep: T[]; remove: T[] } {
  const newestFirst = [...backups].sort((a, b) => b.at - a.at);
  const kept = new Set<T>();
  const keepNewestPer = (period: (at: number) => string, count: number) => {
    const seen = new Set<string>();
    for (const backup of newestFirst) {
      const key = period(backup.at);
      if (seen.has(key)) continue;
      if (seen.size === count) break;
      seen.add(key);
      kept.add(backup);
    }
  };
  keepNewestPer(localDay, retention.daily);
  keepNewestPer(localWeek, retention.weekly);
  return { keep: newestFirst.filter((b) => kept.has(b)), remove: newestFirst.filter((b) => !kept.has(b)) };
}
