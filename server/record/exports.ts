import { csvRow, csvStream } from '../http/csv.ts';
import { EXPORT_VERSION, type CsvKind, type SessionExport, type SessionReport } from '../protocol/report.ts';
import type { Store } from '../store/index.ts';
import type { Session } from '../store/sessions.ts';

const PAGE = 10_000;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * ISO 8601 times for rows in time order: the date, hour and minute are formatted once a minute,
 * the seconds and milliseconds by hand (a dots export formats one time per row).
 */
function minuteIsoClock(): (ms: number) => string {
  let minute = Number.NaN;
  let prefix = '';
  return (ms) => {
    const m = Math.floor(ms / 60_000);
    if (m !== minute) {
      minute = m;
      prefix = new Date(m * 60_000).toISOString().slice(0, 17);
    }
    const rest = ms - m * 60_000;
    return `${prefix}${String(Math.floor(rest / 1000)).padStart(2, '0')}.${String(rest % 1000).padStart(3, '0')}Z`;
  };
}

/** The versioned bundle of a session for the clinic's records and integrators (docs/records.md). */
export function exportBundle(report: SessionReport, now: number): SessionExport {
  const { session, plan, totals, regions, breaks, alarms, guidance, review } = report;
  return { format: 'stipple.session-export', version: EXPORT_VERSION, exportedAt: now, session, plan, totals, regions, breaks, alarms, guidance, review };
}

export const CSV_HEADERS: Readonly<Record<CsvKind, readonly string[]>> = {
  dots: ['time', 'device_seq', 'region', 'x', 'y', 'cycles', 'dwell_ms', 'needles'],
  telemetry: ['second', 'samples', 'running_share', 'cycle_hz_mean', 'cycle_hz_min', 'cycle_hz_max', 'needles'],
  breaks: ['time', 'operator', 'type', 'kind', 'ms', 'detail'],
  alarms: ['raised', 'condition', 'priority', 'detail', 'operator', 'repeats', 'acknowledged_by', 'acknowledged_at', 'closed'],
};

/** One kind of the session's data as CSV, streamed a page at a time, with ISO 8601 times. */
export function csvExport(store: Store, session: Session, kind: CsvKind, report: () => SessionReport, now: number): ReadableStream<Uint8Array> {
  const header = CSV_HEADERS[kind];
  if (kind === 'dots') {
    let after: [number, number, number] = [-1, 0, 0];
    const time = minuteIsoClock();
    return csvStream(header, () => {
      const rows = store.records.dotsPage(session.key, after, PAGE);
      if (rows.length === 0) return undefined;
      const last = rows.at(-1)!;
      after = [last[0], last[1], last[2]];
      // Written out rather than through csvRow: this runs for every dot, and region ids and ISO times
      // (letters, digits, dashes) need neither escaping nor defusing.
      let text = '';
      for (const [madeAt, , seq, region, x, y, cycles, dwellMs, needles] of rows) {
        text += `"${time(madeAt)}",${seq},"${region}",${x ?? ''},${y ?? ''},${cycles},${dwellMs},${needles}\r\n`;
      }
      return text;
    });
  }
  if (kind === 'telemetry') {
    const from = Math.floor(session.startedAt / 1000);
    const to = Math.floor((session.endedAt ?? now) / 1000);
    let after: [number, number] = [from - 1, 0];
    return csvStream(header, () => {
      const rows = store.records.secondsPage(session.chairId, from, to, after, PAGE);
      if (rows.length === 0) return undefined;
      const last = rows.at(-1)!;
      after = [last[0], last[1]];
      return rows
        .map(([second, , samples, running, mean, min, max, needles]) =>
          csvRow([iso(second * 1000), samples, Math.round((running / samples) * 100) / 100, Math.round(mean * 10) / 10, min, max, needles]))
        .join('');
    });
  }
  // Breaks and alarms are a few dozen rows: one page.
  let done = false;
  return csvStream(header, () => {
    if (done) return undefined;
    done = true;
    const { breaks, alarms } = report();
    return kind === 'breaks'
      ? breaks.map((b) => csvRow([iso(b.at), b.operatorId, b.type, b.kind, b.ms, b.detail])).join('')
      : alarms
          .map((a) => csvRow([iso(a.raisedAt), a.condition, a.priority, a.detail, a.operatorId, a.repeats, a.acknowledgedBy, iso(a.acknowledgedAt), iso(a.closedAt)]))
          .join('');
  });
}
