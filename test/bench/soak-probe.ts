/**
 * What `npm run bench:soak` reads of a server process from outside: its own CPU time and resident
 * memory from /proc (the same for Stipple and the bare baseline), and, where the server has them,
 * its V8 heap and event-loop delay from its own `/metrics`, whose collector resets the delay
 * histogram at each scrape, so that each reading is the p99 since the one before.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

export interface ProcessReading {
  /** performance.now() of the reading, in ms. */
  at: number;
  /** utime + stime of the process, in seconds. */
  cpuSeconds: number;
  rssBytes: number;
}

export function readProcess(pid: number): ProcessReading {
  // The command name in field 2 may hold spaces: the fields that follow are counted from its ")".
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').at(-1)!.trim().split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return { at: performance.now(), cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND, rssBytes: rssKb * 1024 };
}

export interface ServerMetrics {
  heapUsedBytes: number;
  /** Event-loop delay p99 since the previous scrape, in ms. */
  loopDelayP99Ms: number;
  messagesStored: number;
  walBytes: number;
  databaseBytes: number;
}

async function scrape(baseUrl: string, adminToken: string): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${adminToken}` } });
  return response.text();
}

export async function readMetrics(baseUrl: string, adminToken: string): Promise<ServerMetrics> {
  // A kept-alive connection the server closed just as it was reused resets: the next one is fresh.
  const text = await scrape(baseUrl, adminToken).catch(() => scrape(baseUrl, adminToken));
  const sum = (name: string) => {
    let total = 0;
    for (const line of text.split('\n')) if (line.startsWith(name) && /^[a-z0-9_]+(\{[^}]*\})? /.test(line)) total += Number(line.split(' ').at(-1));
    return total;
  };
  return {
    heapUsedBytes: sum('nodejs_heap_size_used_bytes'),
    loopDelayP99Ms: sum('stipple_event_loop_delay_seconds{stat="p99"}') * 1000,
    messagesStored: sum('stipple_messages_stored_total'),
    walBytes: sum('stipple_wal_bytes'),
    databaseBytes: sum('stipple_database_bytes'),
  };
}

/** Size of a file that may not be there (the baseline's WAL between checkpoints). */
export function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
