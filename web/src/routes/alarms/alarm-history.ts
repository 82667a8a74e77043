import { CONDITIONS, CONDITION_IDS, PRIORITIES, PRIORITY_RANK, type AlarmEvent, type AlarmHistory, type AlarmView, type Condition, type Priority } from '$protocol/alarms';
import { localDay as dayOf } from '$protocol/days';

/** Pure helpers of the alarm history page: filters from the query, days as columns, words for changes. */

export const PERIODS = [1, 7, 30] as const;
export type Period = (typeof PERIODS)[number];

export interface Filters {
  days: Period;
  condition: Condition | null;
  priority: Priority | null;
  chairId: string | null;
}

/** The filters a query string asks for; anything unknown is no filter. */
export function readFilters(params: URLSearchParams): Filters {
  const days = PERIODS.find((p) => p === Number(params.get('days'))) ?? 7;
  const condition = CONDITION_IDS.find((c) => c === params.get('condition')) ?? null;
  const priority = PRIORITIES.find((p) => p === params.get('priority')) ?? null;
  const chairId = params.get('chairId') || null;
  return { days, condition, priority, chairId };
}

/** The query string of a set of filters (the page's address and, with one more day, the API's). */
export function queryOf(f: Filters, days: number = f.days): string {
  const params = new URLSearchParams({ days: String(days) });
  if (f.condition) params.set('condition', f.condition);
  if (f.priority) params.set('priority', f.priority);
  if (f.chairId) params.set('chairId', f.chairId);
  return params.toString();
}


export interface DayColumn {
  day: string;
  /** Local midnight, in seconds (uPlot's time unit). */
  x: number;
  /** Header words: "Mon 3" for a week, "3" for a month. */
  short: string;
  /** In a month's columns, the month's name above its first column and its 1st. */
  month: string | null;
  long: string;
}

/** The last `count` calendar days up to `now`'s, oldest first: "7 days" is today and the six before. */
export function dayColumns(count: number, now: number): DayColumn[] {
  const today = new Date(now);
  return Array.from({ length: count }, (_, i) => {
    const midnight = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (count - 1 - i));
    const at = midnight.getTime();
    return {
      day: dayOf(at),
      x: at / 1000,
      short: count <= 7 ? `${midnight.toLocaleDateString([], { weekday: 'short' })} ${midnight.getDate()}` : String(midnight.getDate()),
      month: count > 7 && (i === 0 || midnight.getDate() === 1) ? midnight.toLocaleDateString([], { month: 'short' }) : null,
      long: midnight.toLocaleDateString([], { weekday: 'long', day: 'numeric', month: 'long' }),
    };
  });
}

export interface ConditionRow {
  condition: Condition;
  label: string;
  priority: Priority;
  category: 'clinical' | 'technical';
  counts: number[];
  total: number;
}

export interface PerDayTable {
  clinical: ConditionRow[];
  technical: ConditionRow[];
  /** Alarms per column, all conditions together. */
  totals: number[];
  total: number;
}

/**
 * The per-day counts as a table: a row for each condition that occurred, a column for each day,
 * clinical conditions apart from technical ones, the noisiest first in each.
 */
export function perDayTable(perDay: AlarmHistory['perDay'], columns: readonly DayColumn[]): PerDayTable {
  const index = new Map(columns.map((c, i) => [c.day, i]));
  const rows = new Map<Condition, ConditionRow>();
  const totals = columns.map(() => 0);
  for (const { day, condition, count } of perDay) {
    const i = index.get(day);
    if (i === undefined || count === 0) continue;
    let row = rows.get(condition);
    if (!row) {
      const { label, priority, category } = CONDITIONS[condition];
      row = { condition, label, priority, category, counts: columns.map(() => 0), total: 0 };
      rows.set(condition, row);
    }
    row.counts[i]! += count;
    row.total += count;
    totals[i]! += count;
  }
  const order = (a: ConditionRow, b: ConditionRow) => b.total - a.total || PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] || a.label.localeCompare(b.label);
  const all = [...rows.values()].sort(order);
  return {
    clinical: all.filter((r) => r.category === 'clinical'),
    technical: all.filter((r) => r.category === 'technical'),
    totals,
    total: totals.reduce((sum, n) => sum + n, 0),
  };
}

/** The alarms raised on the columns' days, newest first. */
export function alarmsIn(alarms: readonly AlarmView[], columns: readonly DayColumn[]): AlarmView[] {
  const first = columns[0]?.day ?? '';
  return alarms.filter((a) => dayOf(a.raisedAt) >= first).sort((a, b) => b.raisedAt - a.raisedAt || b.id - a.id);
}

/** A length for people: "45 s", "3 min 20 s", "2 h 5 min". */
export function length(ms: number): string {
  const s = Math.round(Math.max(0, ms) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 || m >= 10 ? `${Math.round(s / 60)} min` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}

/** A moment in the list: "Today 14:05", "Tue 3 Jun 09:12". */
export function when(at: number, now: number, seconds = false): string {
  const time = new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', ...(seconds && { second: '2-digit' }) });
  if (dayOf(at) === dayOf(now)) return `Today ${time}`;
  return `${new Date(at).toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' })} ${time}`;
}

export const STATE_WORDS: Readonly<Record<AlarmView['state'], string>> = {
  active: 'Active',
  latched: 'Latched',
  closed: 'Closed',
};

/** One change of an alarm in words, with who made it. */
export function describeEvent(e: AlarmEvent): { what: string; note: string } {
  const by = e.by ? ` by ${e.by}` : '';
  switch (e.change) {
    case 'raised':
      return { what: 'Raised', note: e.detail };
    case 'repeated':
      return { what: 'Condition back: raised again', note: e.detail };
    case 'condition-cleared':
      return { what: 'Condition cleared', note: e.detail };
    case 'latched':
      return { what: 'Latched: cleared before anyone acknowledged it', note: e.detail };
    case 'acknowledged':
      return { what: `Acknowledged${by}`, note: e.detail };
    case 'silenced':
      return { what: `Silenced${by}`, note: e.detail };
    case 'escalated':
      return { what: 'Escalated: high priority, unacknowledged', note: e.detail };
    case 'closed':
      return { what: 'Closed', note: e.detail };
  }
}
