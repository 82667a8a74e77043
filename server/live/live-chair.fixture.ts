import type { FatigueView } from '../protocol/breaks.ts';

/** For tests: an operator at the start of their day, nothing due soon. */
export function freshFatigue(operatorId: string): FatigueView {
  return {
    operatorId, state: 'working', current: null, next: { kind: 'micro', workLeftMs: 25 * 60_000, dueAt: null }, warned: false,
    postponesLeft: 2, postponedToday: 0, violationsToday: 0, needleMsToday: 0,
  };
}
