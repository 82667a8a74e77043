/**
 * Calendar days as the API writes them ("2026-11-26"), in the edge box's own time zone: needle time
 * per day, alarms per day. The dashboard reads them in its own zone, which in a clinic is the same.
 */
export const DAY_MS = 86_400_000;

export function localDay(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
