import { BREAK_LABEL, type BreakEvent, type BreakKind, type FatigueView } from '$protocol/breaks';
import { localDay as dayOf } from '$protocol/days';

/** Pure helpers of the operator's break history: days to chart, events in words. */


export interface ChartDay {
  day: string;
  /** Local midnight, in seconds (uPlot's time unit). */
  x: number;
  hours: number;
}

/** The last `count` days up to `now`'s day (or the newest day the server knows, if later), missing days at 0. */
export function fillDays(days: ReadonlyArray<{ day: string; needleMs: number }>, count: number, now: number): ChartDay[] {
  const byDay = new Map(days.map((d) => [d.day, d.needleMs]));
  const latest = days.reduce((max, d) => (d.day > max ? d.day : max), dayOf(now));
  const [y, m, d] = latest.split('-').map(Number) as [number, number, number];
  return Array.from({ length: count }, (_, i) => {
    const midnight = new Date(y, m - 1, d - (count - 1 - i));
    const day = dayOf(midnight.getTime());
    return { day, x: midnight.getTime() / 1000, hours: (byDay.get(day) ?? 0) / 3_600_000 };
  });
}

/** Needle time as h:mm. */
export function hoursMinutes(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

/** A longer stretch of needle time: "49 h 44 min", "6 h". */
export function longHours(ms: number): string {
  const minutes = Math.round(Math.max(0, ms) / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** A length for people: "45 s", "2 min", "2 min 30 s", "12 min". */
export function length(ms: number): string {
  const s = Math.round(Math.max(0, ms) / 1000);
  if (s < 60) return `${s} s`;
  if (s % 60 === 0 || s >= 600) return `${Math.round(s / 60)} min`;
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

const lower = (kind: BreakKind) => BREAK_LABEL[kind].toLowerCase();

/** What an event says in the log: the line, a quieter note, and whether it is only a warning. */
export function describe(e: BreakEvent): { what: string; note: string; quiet: boolean } {
  const label = BREAK_LABEL[e.kind];
  switch (e.type) {
    case 'warning':
      return { what: `Warning: ${lower(e.kind)} in ${e.ms === null ? 'a moment' : length(e.ms)}`, note: '', quiet: true };
    case 'break':
      return e.ms === null
        ? { what: `${label} reached: handpiece stopped`, note: 'until a supervisor lifts it or a new day or session', quiet: false }
        : { what: `${label} started (${length(e.ms)})`, note: 'handpiece stopped', quiet: false };
    case 'served':
      return { what: `${label} over`, note: 'taken in full, handpiece released', quiet: false };
    case 'natural':
      return { what: `Natural ${lower(e.kind)} (${e.ms === null ? 'a pause' : `${length(e.ms)} pause`})`, note: 'the needle rested long enough to count', quiet: false };
    case 'postponed':
      return { what: `Postponed ${e.ms === null ? '' : length(e.ms)}`.trim(), note: `${lower(e.kind)}, ${e.detail}`, quiet: false };
    case 'override':
      return { what: `Override: ${e.detail}`, note: `${lower(e.kind)} lifted by a supervisor`, quiet: false };
    case 'violation':
      return { what: 'Dots during the break', note: lower(e.kind), quiet: false };
    case 'limit-lifted':
      return { what: `${label} lifted`, note: e.detail, quiet: false };
  }
}

/** The counts over the period a supervisor looks at first. */
export function counts(events: readonly BreakEvent[]) {
  const of = (type: BreakEvent['type']) => events.filter((e) => e.type === type).length;
  return [
    { key: 'served', label: 'Breaks taken', value: of('served') },
    { key: 'natural', label: 'Natural breaks', value: of('natural') },
    { key: 'postponed', label: 'Postpones', value: of('postponed') },
    { key: 'override', label: 'Overrides', value: of('override') },
    { key: 'violation', label: 'Violations', value: of('violation') },
  ];
}

/** The operator's state right now, in one line. */
export function stateLine(view: FatigueView, clock: (at: number) => string): string {
  if (view.current) {
    const what = BREAK_LABEL[view.current.kind];
    const dots = view.current.violations > 0 ? ` (${view.current.violations} dot${view.current.violations === 1 ? '' : 's'} made during it)` : '';
    return view.current.until === null
      ? `${what} in force since ${clock(view.current.startedAt)}: the handpiece stays stopped until a supervisor lifts it${dots}`
      : `On a break: ${lower(view.current.kind)} until ${clock(view.current.until)}${dots}`;
  }
  if (!view.next) return 'Working';
  const next = lower(view.next.kind);
  if (view.next.workLeftMs !== null) return `Working: ${next} after ${length(view.next.workLeftMs)} more needle time${view.warned ? ' (warned)' : ''}`;
  if (view.next.dueAt !== null) return `Working: postponed ${next} due at ${clock(view.next.dueAt)}`;
  return `Working: ${next} next`;
}
