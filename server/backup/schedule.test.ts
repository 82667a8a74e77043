import { describe, expect, it } from 'vitest';
import { nextAt, parseTimeOfDay } from './schedule.ts';

const local = (month: number, day: number, hour: number, minute = 0) => new Date(2026, month - 1, day, hour, minute).getTime();

describe('the nightly backup time', () => {
  it('is tonight when the time has not come yet, tomorrow when it has', () => {
    const at = { hour: 2, minute: 30 };
    expect(nextAt(local(11, 26, 1, 0), at)).toBe(local(11, 26, 2, 30));
    expect(nextAt(local(11, 26, 2, 30), at)).toBe(local(11, 27, 2, 30));
    expect(nextAt(local(11, 26, 17, 0), at)).toBe(local(11, 27, 2, 30));
  });

  it('rolls over the end of a month and a year', () => {
    expect(nextAt(new Date(2026, 11, 31, 23, 0).getTime(), { hour: 2, minute: 30 })).toBe(new Date(2027, 0, 1, 2, 30).getTime());
  });

  it('reads "HH:MM" and nothing else', () => {
    expect(parseTimeOfDay('02:30')).toEqual({ hour: 2, minute: 30 });
    expect(parseTimeOfDay('23:59')).toEqual({ hour: 23, minute: 59 });
    expect(parseTimeOfDay('24:00')).toBeUndefined();
    expect(parseTimeOfDay('2:30')).toBeUndefined();
    expect(parseTimeOfDay('off')).toBeUndefined();
  });
});
