import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `<data dir>/stipple.pid`: the server that uses the data dir. It is written at start and removed
 * at close; a server killed -9 or by a power cut leaves it behind, which is why its pid is checked.
 * A restore refuses to run under a live server. The server itself never refuses to start on it:
 * after a reboot the old pid may belong to another process, and the box must come back by itself.
 */
export const PID_FILE = 'stipple.pid';

/** Marks the data dir as used by this process; returns the function that unmarks it. */
export function markInUse(dataDir: string): () => void {
  const file = join(dataDir, PID_FILE);
  writeFileSync(file, `${process.pid}\n`);
  return () => {
    if (pidIn(file) === process.pid) rmSync(file, { force: true });
  };
}

/** The id of a live process that marked the data dir as used, or undefined. */
export function processUsing(dataDir: string): number | undefined {
  const pid = pidIn(join(dataDir, PID_FILE));
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}

/** Whether a process with this id runs (EPERM: it does, as another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function pidIn(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
