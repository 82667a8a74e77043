import { CYCLE_BAND_HZ, inBand, type LiveChair } from '$protocol/live';

export type Attention = 'offline' | 'out-of-band' | null;

/** What about a chair needs the supervisor's eyes now; chairs with something sort first. */
export function attentionOf(chair: LiveChair): Attention {
  if (chair.state === 'offline' && chair.session) return 'offline';
  if (chair.state === 'running' && chair.sample && !inBand(chair.sample.cycleHz)) return 'out-of-band';
  return null;
}

export function byAttention(a: LiveChair, b: LiveChair): number {
  const rank = (c: LiveChair) => (attentionOf(c) ? 0 : c.session ? 1 : 2);
  return rank(a) - rank(b) || a.name.localeCompare(b.name, undefined, { numeric: true });
}

export const STATE_LABEL: Record<LiveChair['state'], string> = {
  idle: 'Idle',
  'in-session': 'In session',
  running: 'Needle running',
  offline: 'Device offline',
};

export function bandText(): string {
  return `${CYCLE_BAND_HZ.min}–${CYCLE_BAND_HZ.max} Hz`;
}
