import type { Logger } from './log.ts';

/**
 * `setInterval` for the server's own rounds: break and alarm ticks, saves, prunes, sweeps. A round
 * that throws (a write the full disk refused, a bug) is logged, and the next round comes as usual.
 * One failed round must not end the process, and every chair's monitoring with it. A run of
 * failures is logged when it starts, once a minute while it lasts, and when it ends.
 */
export function everyRound(everyMs: number, what: string, log: Logger, round: () => void): NodeJS.Timeout {
  const roundsPerMinute = Math.max(1, Math.round(60_000 / everyMs));
  let failed = 0;
  const timer = setInterval(() => {
    try {
      round();
    } catch (err) {
      if (failed % roundsPerMinute === 0) log.error({ err, failedRounds: failed + 1 }, `${what} failed; trying again every ${everyMs} ms`);
      failed += 1;
      return;
    }
    if (failed > 0) log.info({ failedRounds: failed }, `${what} works again`);
    failed = 0;
  }, everyMs);
  // The server's sockets keep the process alive, not its rounds.
  return timer.unref();
}
