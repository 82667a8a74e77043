/** A local time of day, "02:30". */
export interface TimeOfDay {
  hour: number;
  minute: number;
}

export const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function parseTimeOfDay(text: string): TimeOfDay | undefined {
  const match = TIME_OF_DAY.exec(text);
  return match ? { hour: Number(match[1]), minute: Number(match[2]) } : undefined;
}

/**
 * The next moment after `now` at which local clocks read `time`. Built from calendar fields, so a
 * daylight-saving change moves it with the wall clock (a time that does not exist that night comes
 * an hour later). Pure.
 */
export function nextAt(now: number, time: TimeOfDay): number {
  const today = new Date(now);
  for (let day = 0; ; day++) {
    const candidate = new Date(today.getFullYear(), today.getMonth(), today.getDate() + day, time.hour, time.minute).getTime();
    if (candidate > now) return candidate;
  }
}
