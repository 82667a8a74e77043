import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceDataMessage } from '../server/protocol/v1.ts';
import { FileOutbox, MemoryOutbox } from './outbox.ts';

const tel = (seq: number): DeviceDataMessage => ({ type: 'tel', seq, ts: 1_790_000_000_000 + seq, cycleHz: 120, needles: 3, running: true });
const dirs: string[] = [];
const file = () => {
  const dir = mkdtempSync(join(tmpdir(), 'stipple-outbox-'));
  dirs.push(dir);
  return join(dir, 'device.outbox.jsonl');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the outbox', () => {
  it('keeps messages in order until an ack covers them', () => {
    const outbox = new MemoryOutbox();
    for (let seq = 1; seq <= 5; seq++) outbox.append(tel(seq));
    outbox.ack(3);
    expect(outbox.unacked().map((m) => m.seq)).toEqual([4, 5]);
    expect(outbox.nextSeq).toBe(6);
  });

  it('refuses a message out of sequence', () => {
    const outbox = new MemoryOutbox();
    expect(() => outbox.append(tel(2))).toThrow(/expected seq 1/);
  });

  it('moves its counter past what the server already has', () => {
    const outbox = new MemoryOutbox();
    outbox.ack(41);
    expect(outbox.nextSeq).toBe(42);
  });

  it('a file outbox survives a kill: reopened without a close it has its seq and its unacked messages', () => {
    const path = file();
    const first = new FileOutbox(path);
    for (let seq = 1; seq <= 4; seq++) first.append(tel(seq));
    first.ack(2);
    // no close(): the process died
    const reopened = new FileOutbox(path);
    expect(reopened.nextSeq).toBe(5);
    reopened.ack(2); // the welcome's ackedSeq after the restart
    expect(reopened.unacked().map((m) => m.seq)).toEqual([3, 4]);
    reopened.close();
  });

  it('ignores a last line cut short by the kill', () => {
    const path = file();
    const outbox = new FileOutbox(path);
    outbox.append(tel(1));
    outbox.close();
    appendFileSync(path, '{"type":"tel","seq":2,"ts":');
    const reopened = new FileOutbox(path);
    expect(reopened.unacked().map((m) => m.seq)).toEqual([1]);
    expect(reopened.nextSeq).toBe(2);
    reopened.close();
  });

  it('compacts acknowledged lines away and keeps the counter', () => {
    const path = file();
    const outbox = new FileOutbox(path);
    for (let seq = 1; seq <= 3_000; seq++) outbox.append(tel(seq));
    const full = statSync(path).size;
    outbox.ack(2_999);
    expect(statSync(path).size).toBeLessThan(full / 10);
    outbox.close();
    const reopened = new FileOutbox(path);
    expect(reopened.nextSeq).toBe(3_001);
    expect(reopened.unacked().map((m) => m.seq)).toEqual([3_000]);
    reopened.close();
    expect(readFileSync(path, 'utf8').split('\n')[0]).toBe('{"nextSeq":3001}');
  });
});
