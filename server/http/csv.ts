/**
 * One CSV cell: numbers as they are; text always quoted, with inner quotes doubled and a leading
 * = + - @ defused, so that a spreadsheet opening the file never runs it as a formula.
 */
export function csvCell(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `"${(/^[=+\-@]/.test(text) ? `'${text}` : text).replace(/"/g, '""')}"`;
}

/** A CSV line, CRLF-terminated as RFC 4180 says. */
export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

const encoder = new TextEncoder();

/**
 * A CSV body streamed a page at a time: `nextPage` returns the next rows' text, or undefined at the
 * end. Each page is read synchronously between network writes, so no query stays open across them.
 */
export function csvStream(header: readonly string[], nextPage: () => string | undefined): ReadableStream<Uint8Array> {
  let started = false;
  return new ReadableStream({
    pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`${header.join(',')}\r\n`));
        return;
      }
      const page = nextPage();
      if (page === undefined) controller.close();
      else controller.enqueue(encoder.encode(page));
    },
  });
}
