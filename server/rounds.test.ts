import { afterEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { everyRound } from './rounds.ts';

/** A logger that keeps what it was told. */
function keptLog() {
  const lines: Array<{ level: number; msg: string; failedRounds?: number }> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { log, lines };
}

afterEach(() => vi.useRealTimers());

describe('the server\'s rounds', () => {
  it('a round that throws is logged and the next round comes as usual', () => {
    vi.useFakeTimers();
    const { log, lines } = keptLog();
    let turns = 0;
    const timer = everyRound(1_000, 'the test round', log, () => {
      turns += 1;
      if (turns === 2) throw new Error('SQLITE_FULL: database or disk is full');
    });
    vi.advanceTimersByTime(4_000);
    clearInterval(timer);
    expect(turns).toBe(4);
    expect(lines.map((l) => l.msg)).toEqual(['the test round failed; trying again every 1000 ms', 'the test round works again']);
  });

  it('a run of failures is logged when it starts and once a minute while it lasts, not at every round', () => {
    vi.useFakeTimers();
    const { log, lines } = keptLog();
    let failing = true;
    const timer = everyRound(250, 'the break tick', log, () => {
      if (failing) throw new Error('disk I/O error');
    });
    vi.advanceTimersByTime(150_000); // 600 failed rounds
    failing = false;
    vi.advanceTimersByTime(250);
    clearInterval(timer);
    expect(lines.map((l) => [l.level, l.failedRounds])).toEqual([[50, 1], [50, 241], [50, 481], [30, 600]]);
  });
});
