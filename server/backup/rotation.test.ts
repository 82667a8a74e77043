import { describe, expect, it } from 'vitest';
import { localWeek, rotate } from './rotation.ts';

/** A backup at a local date and time: plain dates, no clock. */
const at = (year: number, month: number, day: number, hour = 2, minute = 30) => ({ at: new Date(year, month - 1, day, hour, minute).getTime() });
const days = (list: Array<{ at: number }>) => list.map((b) => new Date(b.at).toDateString());

describe('backup rotation', () => {
  it('keeps every backup while there are fewer than 7 days of them', () => {
    const backups = [at(2026, 11, 23), at(2026, 11, 24), at(2026, 11, 25)];
    expect(rotate(backups).remove).toEqual([]);
  });

  it('of several backups on one day keeps the newest only (sessions ending all day)', () => {
    const night = at(2026, 11, 24, 2, 30);
    const afternoon = at(2026, 11, 24, 15, 0);
    const evening = at(2026, 11, 24, 19, 45);
    const { keep, remove } = rotate([night, evening, afternoon]);
    expect(keep).toEqual([evening]);
    expect(remove).toEqual([afternoon, night]);
  });

  it('after 60 nightly backups keeps the last 7 days and the newest of each of the 4 last weeks: 10 in all', () => {
    const nightly = Array.from({ length: 60 }, (_, i) => at(2026, 10, 1 + i)); // 1 Oct to 29 Nov 2026
    const { keep } = rotate(nightly);
    expect(days(keep)).toEqual([
      // the last seven days (Sun 29 Nov back to Mon 23 Nov)…
      'Sun Nov 29 2026', 'Sat Nov 28 2026', 'Fri Nov 27 2026', 'Thu Nov 26 2026', 'Wed Nov 25 2026', 'Tue Nov 24 2026', 'Mon Nov 23 2026',
      // …of which Sunday is also its week's newest; then the Sundays of the three weeks before
      'Sun Nov 22 2026', 'Sun Nov 15 2026', 'Sun Nov 08 2026',
    ]);
  });

  it('counts only days that have a backup: a box off for a month keeps its last 7 days of backups', () => {
    const before = Array.from({ length: 10 }, (_, i) => at(2026, 9, 1 + i));
    const after = [at(2026, 11, 20)];
    const { keep } = rotate([...before, ...after]);
    expect(days(keep)).toEqual([
      'Fri Nov 20 2026', 'Thu Sep 10 2026', 'Wed Sep 09 2026', 'Tue Sep 08 2026', 'Mon Sep 07 2026', 'Sun Sep 06 2026', 'Sat Sep 05 2026',
      // the newest of the weeks of 16 Nov, 7 Sep and 31 Aug are among these already; no fourth week has a backup
    ]);
  });

  it('always keeps the newest backup, whatever the retention', () => {
    const newest = at(2026, 11, 26, 18);
    expect(rotate([at(2026, 11, 25), newest], { daily: 1, weekly: 0 }).keep).toEqual([newest]);
  });

  it('begins weeks on Monday, in local time', () => {
    expect(localWeek(at(2026, 11, 29, 23, 59).at)).toBe('2026-11-23'); // a Sunday night
    expect(localWeek(at(2026, 11, 30, 0, 1).at)).toBe('2026-11-30'); // the Monday after
  });
});
