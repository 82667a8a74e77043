import type { z } from 'zod';
import { deviceMessage, type DeviceDataMessage, type DeviceMessage } from '../protocol/v1.ts';

export type Refused = { ok: false; seq: number | undefined; reason: string };
export type FrameItem = { ok: true; message: DeviceMessage } | Refused;
/** A message after the hello: data to store, or a refusal. */
export type DataItem = { ok: true; message: DeviceDataMessage } | Refused;

/**
 * Splits one text frame into the messages it holds (an object, or an array of them: a batch) and
 * validates each on its own, so that one bad message in a batch costs only itself.
 */
export function parseFrame(text: string): FrameItem[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [{ ok: false, seq: undefined, reason: 'frame is not valid JSON' }];
  }
  return Array.isArray(json) ? json.map(parseMessage) : [parseMessage(json)];
}

export function parseMessage(value: unknown): FrameItem {
  const result = deviceMessage.safeParse(value);
  if (result.success) return { ok: true, message: result.data };
  return { ok: false, seq: readableSeq(value), reason: describe(result.error) };
}

/** The seq of a refused message, when it has one worth acknowledging. */
function readableSeq(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null || !('seq' in value)) return undefined;
  const seq = value.seq;
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 1 ? seq : undefined;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid message';
  const where = issue.path.length > 0 ? issue.path.join('.') : 'message';
  return `${where}: ${issue.message}`;
}

/** After the hello, a second hello is just another refused message. */
export function asData(item: FrameItem): DataItem {
  if (item.ok && item.message.type === 'hello') {
    return { ok: false, seq: undefined, reason: 'hello was already received on this socket' };
  }
  return item as DataItem;
}
