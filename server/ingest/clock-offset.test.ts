import { describe, expect, it } from 'vitest';
import { ClockOffsetEstimator } from './clock-offset.ts';

describe('estimating a device clock offset', () => {
  it('takes the sample with the least transit delay', () => {
    const clock = new ClockOffsetEstimator(null);
    clock.observe(1_000, 5_030); // 4,000 ahead + 30 ms in transit
    clock.observe(2_000, 6_004); // + 4 ms
    clock.observe(3_000, 7_050);
    expect(clock.offsetMs).toBe(4_004);
    expect(clock.toServerTime(10_000)).toBe(14_004);
  });

  it('is not pulled by resent old messages', () => {
    const clock = new ClockOffsetEstimator(null);
    clock.observe(10_000, 10_005);
    clock.observe(1_000, 10_010); // made nine seconds ago, resent now
    expect(clock.offsetMs).toBe(5);
  });

  it('starts from the stored estimate, so resends after a restart land where they belong', () => {
    const clock = new ClockOffsetEstimator(-3_600_000);
    expect(clock.toServerTime(7_200_000)).toBe(3_600_000);
    clock.observe(100, 10_000); // an old resend: a large sample leaves the estimate alone
    expect(clock.offsetMs).toBe(-3_600_000);
  });

  it('follows a device clock stepped back, after a whole window of later samples', () => {
    const clock = new ClockOffsetEstimator(null, 60_000, 1_000);
    clock.observe(100_000, 100_010);
    // The device clock is set back by 5 s: every sample is now ~5 s later than expected.
    // The window holding the last good sample closes at 160 s; the next one holds only late ones.
    for (let t = 101_000; t < 220_000; t += 1_000) clock.observe(t - 5_000, t + 10);
    expect(clock.offsetMs).toBe(10);
    clock.observe(220_000 - 5_000, 220_010);
    expect(clock.offsetMs).toBe(5_010);
  });
});
