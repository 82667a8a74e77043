import { describe, expect, it } from 'vitest';
import { ContactLoss, type ContactRule } from './contact-loss.ts';

const S = 1_000;
const RULE: ContactRule = { inARowMs: 10 * S, graceMs: 2 * S, flappingMs: 20 * S, windowMs: 60 * S, settledBelowMs: 10 * S };

describe('ContactLoss', () => {
  it('lost for the outage length in a row, it is due; back in contact, it is settled', () => {
    const loss = new ContactLoss(RULE);
    loss.lostAt(0);
    expect(loss.due(9_999)).toBe(false);
    expect(loss.due(10 * S)).toBe(true);
    expect(loss.settled(10 * S)).toBe(false);
    loss.back(30 * S);
    expect(loss.settled(30 * S)).toBe(true);
  });

  it('a stretch within the grace counts for nothing, however often', () => {
    const loss = new ContactLoss(RULE);
    for (let at = 0; at < 10 * 60 * S; at += 1_900) loss.lostAt(at);
    expect(loss.lostWithin(10 * 60 * S)).toBe(0);
  });

  it('a stretch past the grace counts whole, from its start', () => {
    const loss = new ContactLoss(RULE);
    loss.lostAt(0);
    expect(loss.lostWithin(1_999)).toBe(0);
    expect(loss.lostWithin(3 * S)).toBe(3 * S);
  });

  it('a stretch counts towards the window only up to the outage length: past that it is an outage of its own', () => {
    const loss = new ContactLoss(RULE);
    loss.lostAt(0);
    loss.back(50 * S);
    expect(loss.lostWithin(50 * S)).toBe(10 * S);
    expect(loss.settled(50 * S)).toBe(true);
  });

  it('stretches adding up to the flapping time make it due at the next loss, and held until the window holds under the settled time', () => {
    const loss = new ContactLoss(RULE);
    // 8 s lost every 20 s: 8 + 8 + 4 at 44 s.
    for (const start of [0, 20 * S]) {
      loss.lostAt(start);
      loss.back(start + 8 * S);
    }
    loss.lostAt(40 * S);
    expect(loss.due(43_999)).toBe(false);
    expect(loss.due(44 * S)).toBe(true);
    loss.back(48 * S);
    // Back in contact, but flapping: 24 s in the window, then 16 s once the first stretch has left it at 68 s.
    expect(loss.settled(48 * S)).toBe(false);
    expect(loss.settled(68 * S)).toBe(false);
    // Under 10 s once the second has begun to leave it too: 8 s + 1 s at 87 s.
    expect(loss.settled(86 * S)).toBe(false);
    expect(loss.settled(87 * S)).toBe(true);
  });

  it('reset forgets the window and the flapping, not the stretch in progress', () => {
    const loss = new ContactLoss(RULE);
    for (const start of [0, 20 * S, 40 * S]) {
      loss.lostAt(start);
      loss.back(start + 8 * S);
    }
    loss.lostAt(60 * S);
    expect(loss.due(62 * S)).toBe(true);
    loss.reset();
    expect(loss.due(62 * S)).toBe(false);
    expect(loss.lostFor(62 * S)).toBe(2 * S);
    expect(loss.due(70 * S)).toBe(true);
  });
});
