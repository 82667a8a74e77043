import type { ChairState, LiveChair } from '../protocol/live.ts';

/** A sample older than this no longer says the needle is running. */
export const RUNNING_FRESH_MS = 3_000;

/** What a chair is doing, as the supervisor reads it. Pure. */
export function chairStateOf(chair: Omit<LiveChair, 'state'>, now: number, freshMs = RUNNING_FRESH_MS): ChairState {
  if (chair.device && !chair.device.online) return 'offline';
  if (chair.sample?.running && now - chair.sample.at < freshMs) return 'running';
  return chair.session ? 'in-session' : 'idle';
}
