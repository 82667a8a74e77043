import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WindowedTime } from './windowed-time.ts';

const S = 1_000;

describe('WindowedTime', () => {
  it('counts what held within the window, to the ms, at a bucket boundary', () => {
    const w = new WindowedTime(10 * S, 100);
    w.add(0, 2_950);
    w.add(4_000, 4_030);
    expect(w.within(5 * S)).toBe(2_980);
    // At 10 s the window is 0–10 s; at 12 s, 2–12 s: 950 ms of the first stretch and the 30 ms are left.
    expect(w.within(10 * S)).toBe(2_980);
    expect(w.within(12 * S)).toBe(980);
    expect(w.within(14_100)).toBe(0);
  });

  it('between boundaries the far edge is rounded down: the oldest bucket counts whole, and nothing older', () => {
    const w = new WindowedTime(10 * S, S);
    w.add(0, 3 * S);
    // At 12.5 s the window reaches back to 2 s, not 2.5 s: the bucket 2–3 s counts whole.
    expect(w.within(12_500)).toBe(S);
    expect(w.within(12_999)).toBe(S);
    expect(w.within(13 * S)).toBe(0);
  });

  it('a stretch longer than the window counts only its last window', () => {
    const w = new WindowedTime(60 * S, S);
    w.add(0, 10 * 60 * S);
    expect(w.within(10 * 60 * S)).toBe(60 * S);
  });

  it('a stretch older than the window, given late, counts for nothing', () => {
    const w = new WindowedTime(10 * S, S);
    expect(w.within(60 * S)).toBe(0);
    w.add(5 * S, 20 * S);
    w.add(20 * S, 30 * S);
    expect(w.within(60 * S)).toBe(0);
  });

  it('clear forgets everything held', () => {
    const w = new WindowedTime(10 * S, 100);
    w.add(0, 5 * S);
    w.clear();
    expect(w.within(5 * S)).toBe(0);
    w.add(5 * S, 6 * S);
    expect(w.within(6 * S)).toBe(S);
  });

  it('a window that is not a whole number of buckets is refused', () => {
    expect(() => new WindowedTime(10 * S, 300)).toThrow(RangeError);
    expect(() => new WindowedTime(10 * S, 0)).toThrow(RangeError);
  });

  it('agrees with a count of every stretch for any stretches and any query at a bucket boundary', () => {
    const bucketMs = 100;
    const windowMs = 2 * S;
    // Stretches as (gap before, length) in ms; each followed by a query at the next boundary or later.
    const stretches = fc.array(fc.tuple(fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 0, max: 30 })), { maxLength: 60 });
    fc.assert(
      fc.property(stretches, (input) => {
        const w = new WindowedTime(windowMs, bucketMs);
        const held: Array<[number, number]> = [];
        let at = 0;
        for (const [gap, length, wait] of input) {
          const from = at + gap;
          const to = from + length;
          w.add(from, to);
          held.push([from, to]);
          const now = (Math.ceil(to / bucketMs) + wait) * bucketMs;
          const expected = held.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, now) - Math.max(a, now - windowMs)), 0);
          expect(w.within(now)).toBe(expected);
          at = now;
        }
      }),
    );
  });

  it('an eight-hour day of samples 20 ms apart, half of them held, answers as exactly at its end as at its start', () => {
    const w = new WindowedTime(10 * S, 100);
    const day = 8 * 3_600 * S;
    for (let at = 0; at < day; at += 20) if ((at / 20) % 2 === 0) w.add(at, at + 20);
    expect(w.within(day)).toBe(5 * S);
  });
});
