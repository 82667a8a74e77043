/**
 * Calendar days as the API writes them ("2026-11-26"), in the edge box's own time zone: needle time
 * per day, alarms per day. The dashboard reads them in its own zone, which in a clinic is the same.
 */
export const DAY_MS = 86_400_000;

/** The day last asked for and its bounds: the break engine asks for every sample, and it is mostly the same day. */
let lastDay = { from: 0, to: 0, day: '' };

export function localDay(at: number): string {
  if (at >= lastDay.from && at < lastDay.to) return lastDay.day;
  const d = new Date(at);
  const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  lastDay = { from: new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime(), to: new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime(), day };
  return day;
}
