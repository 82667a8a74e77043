import type { ChairStats, Simulator } from './simulator.ts';

const MARK: Record<ChairStats['state'], string> = { open: '●', connecting: '◌', waiting: '○', stopped: '✕' };

/** One terminal line: per chair its link, dots made, and how much of what it sent is acknowledged. */
export function progressLine(stats: readonly ChairStats[]): string {
  return stats
    .map((s) => `${s.name} ${MARK[s.state]} ${s.dots} dots, acked ${s.acked}/${s.sent}${s.inhibited ? ' ⏸' : ''}`)
    .join('  |  ');
}

/** Redraws the line every second on a terminal, or prints it every 10 s into a log. */
export function showProgress(simulator: Simulator, out: NodeJS.WriteStream = process.stdout): () => void {
  const tty = out.isTTY;
  const timer = setInterval(
    () => out.write(tty ? `\r\x1b[K${progressLine(simulator.stats())}` : `${progressLine(simulator.stats())}\n`),
    tty ? 1000 : 10_000,
  );
  return () => {
    clearInterval(timer);
    if (tty) out.write('\n');
  };
}
