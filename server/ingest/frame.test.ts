import { describe, expect, it } from 'vitest';
import { asData, parseFrame } from './frame.ts';

const dot = { type: 'dot', seq: 3, ts: 1_790_000_000_000, cycles: 18, dwellMs: 150, needles: 3 };

describe('reading a device frame', () => {
  it('a single object is one message', () => {
    expect(parseFrame(JSON.stringify(dot))).toEqual([{ ok: true, message: dot }]);
  });

  it('an array is a batch, handled in order, each message on its own', () => {
    const items = parseFrame(JSON.stringify([dot, { ...dot, seq: 4, needles: 9 }, { ...dot, seq: 5 }]));
    expect(items.map((i) => i.ok)).toEqual([true, false, true]);
    expect(items[1]).toMatchObject({ ok: false, seq: 4, reason: expect.stringContaining('needles') });
  });

  it('broken JSON is refused with no seq to acknowledge', () => {
    expect(parseFrame('{"type":"dot","seq":3')).toEqual([{ ok: false, seq: undefined, reason: 'frame is not valid JSON' }]);
  });

  it.each([
    ['a non-finite number', '{"type":"dot","seq":3,"ts":1,"cycles":18,"dwellMs":1e999,"needles":3}', 'dwellMs'],
    ['an unknown region', JSON.stringify({ ...dot, region: 'forehead' }), 'region'],
    ['x without y', JSON.stringify({ ...dot, x: 0.5 }), 'x'],
    ['an unknown type', JSON.stringify({ ...dot, type: 'zap' }), 'type'],
  ])('%s is refused, naming the field, and keeps its seq', (_name, frame, field) => {
    const [item] = parseFrame(frame);
    expect(item).toMatchObject({ ok: false, seq: 3, reason: expect.stringContaining(field) });
  });

  it('a seq that is not a positive safe integer is not readable', () => {
    for (const seq of [0, -1, 1.5, '3', 2 ** 60]) {
      expect(parseFrame(JSON.stringify({ ...dot, seq }))[0]).toMatchObject({ ok: false, seq: undefined });
    }
  });

  it('a scar region of the plan is a region', () => {
    expect(parseFrame(JSON.stringify({ ...dot, region: 'scar-strip-1' }))[0]?.ok).toBe(true);
  });

  it('after the hello, another hello is a refused message', () => {
    const [hello] = parseFrame(JSON.stringify({ type: 'hello', v: 1, deviceId: 'd', token: 't' }));
    expect(asData(hello!)).toMatchObject({ ok: false, seq: undefined, reason: expect.stringContaining('hello') });
  });
});
