import { describe, expect, it } from 'vitest';
import { localDay } from './days.ts';

describe('calendar days', () => {
  it('a moment belongs to the box\'s local day, asked in any order, across midnight', () => {
    const at = (day: number, hour: number, minute = 0) => new Date(2026, 2, day, hour, minute).getTime();
    expect(localDay(at(28, 23, 59))).toBe('2026-03-28');
    expect(localDay(at(29, 0, 0))).toBe('2026-03-29');
    expect(localDay(at(28, 12))).toBe('2026-03-28');
    expect(localDay(at(29, 0, 0) - 1)).toBe('2026-03-28');
    // Through a change of the clocks in many zones: the day is still the calendar's.
    expect(localDay(at(29, 23, 59))).toBe('2026-03-29');
    expect(localDay(at(30, 0, 1))).toBe('2026-03-30');
    expect(localDay(at(29, 12))).toBe('2026-03-29');
  });
});
