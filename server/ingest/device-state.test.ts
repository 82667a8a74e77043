import { describe, expect, it } from 'vitest';
import { DeviceState, judgeSeq } from './device-state.ts';

describe('judging a seq', () => {
  it('a seq at or below the watermark is a duplicate', () => {
    expect(judgeSeq(5, 5)).toEqual({ kind: 'duplicate' });
    expect(judgeSeq(5, 1)).toEqual({ kind: 'duplicate' });
  });

  it('the next seq is next; a jump is a gap naming what never arrived', () => {
    expect(judgeSeq(5, 6)).toEqual({ kind: 'next' });
    expect(judgeSeq(5, 9)).toEqual({ kind: 'gap', from: 6, to: 8 });
  });

  it('a device\'s very first message may start anywhere', () => {
    expect(judgeSeq(0, 1_000)).toEqual({ kind: 'next' });
  });
});

describe('a device\'s state', () => {
  it('is settled only when everything taken in is stored', () => {
    const state = new DeviceState(1, 'dv_1', 'ch_1', 10, null);
    expect(state.settled).toBe(true);
    state.acceptedSeq = 12;
    expect(state.settled).toBe(false);
    state.storedSeq = 12;
    expect(state.settled).toBe(true);
  });
});
