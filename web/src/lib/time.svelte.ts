/**
 * A clock for the screen: one shared tick a second, so every session timer moves together. It
 * stops while the page is hidden (nobody reads it) and is right again the moment it shows.
 */
class ScreenClock {
  now = $state(Date.now());
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    const follow = () => {
      clearInterval(this.#timer);
      this.#timer = undefined;
      if (document.visibilityState === 'hidden') return;
      this.now = Date.now();
      this.#timer = setInterval(() => (this.now = Date.now()), 1000);
    };
    document.addEventListener('visibilitychange', follow);
    follow();
  }
}

export const screenClock = new ScreenClock();

/** Hours, and minutes and seconds as two digits, of a number of seconds. */
function hms(totalSeconds: number): [number, string, string] {
  const total = Math.max(0, totalSeconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  return [Math.floor(total / 3600), pad(Math.floor((total % 3600) / 60)), pad(total % 60)];
}

/** Time elapsed: "1:04:05". */
export function duration(ms: number): string {
  const [h, m, s] = hms(Math.floor(ms / 1000));
  return `${h}:${m}:${s}`;
}

/** Time elapsed to the minute, for a screen read across the room: "1 h 04 min", "12 min". */
export function hoursMinutes(ms: number): string {
  const [h, m] = hms(Math.floor(ms / 1000));
  return h > 0 ? `${h} h ${m} min` : `${Number(m)} min`;
}

/** A time of day on this screen's clock, in the clinic's locale: "15:40" or "03:40 PM". */
export function timeOfDay(at: number): string {
  return timeFormat.format(at);
}

const timeFormat = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit' });

export function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

/** A countdown, rounded up: "4:05", or "1:02:03" past an hour. */
export function clock(ms: number): string {
  const [h, m, s] = hms(Math.ceil(ms / 1000));
  return h > 0 ? `${h}:${m}:${s}` : `${Number(m)}:${s}`;
}
