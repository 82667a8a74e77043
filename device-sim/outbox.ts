import { closeSync, existsSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { deviceDataMessage, type DeviceDataMessage } from '../server/protocol/v1.ts';

/**
 * What a handpiece keeps until the server acknowledges it, and the seq counter that must outlive
 * the device's own restarts (protocol: "kept by the device across its own restarts").
 */
export interface Outbox {
  /** The seq the next message gets. */
  readonly nextSeq: number;
  /** Stores a message; it keeps the seq it carries, which must be `nextSeq`. */
  append(message: DeviceDataMessage): void;
  /** Everything up to `seq` is stored on the server; forget it. */
  ack(seq: number): void;
  /** Everything not yet acknowledged, oldest first. */
  unacked(): readonly DeviceDataMessage[];
  /** A fault: the message is gone from the device before it was sent (the server sees a seq gap). */
  lose(seq: number): void;
  close(): void;
}

export class MemoryOutbox implements Outbox {
  protected messages: DeviceDataMessage[] = [];
  protected next = 1;

  get nextSeq(): number {
    return this.next;
  }

  append(message: DeviceDataMessage): void {
    if (message.seq !== this.next) throw new Error(`outbox expected seq ${this.next}, got ${message.seq}`);
    this.messages.push(message);
    this.next += 1;
  }

  ack(seq: number): void {
    let drop = 0;
    while (drop < this.messages.length && this.messages[drop]!.seq <= seq) drop++;
    if (drop > 0) this.messages.splice(0, drop);
    // A server that has more than we remember (our state was lost) sets the counter forward.
    if (seq >= this.next) this.next = seq + 1;
  }

  unacked(): readonly DeviceDataMessage[] {
    return this.messages;
  }

  lose(seq: number): void {
    this.messages = this.messages.filter((m) => m.seq !== seq);
  }

  close(): void {}
}

/**
 * An outbox in a JSON-lines file: every message is written before it is sent, so a simulator that
 * is killed resumes with its seq and resends what was never acknowledged. Acknowledged lines are
 * compacted away from time to time; the first line keeps the seq counter.
 */
export class FileOutbox extends MemoryOutbox {
  #fd: number;
  #linesSinceCompaction = 0;

  constructor(private readonly file: string) {
    super();
    if (existsSync(file)) this.#load(readFileSync(file, 'utf8'));
    this.#compact();
    this.#fd = openSync(file, 'a');
  }

  override append(message: DeviceDataMessage): void {
    super.append(message);
    writeSync(this.#fd, `${JSON.stringify(message)}\n`);
    this.#linesSinceCompaction += 1;
  }

  override ack(seq: number): void {
    super.ack(seq);
    if (this.#linesSinceCompaction > 2_000 && this.#linesSinceCompaction > 4 * this.messages.length) {
      closeSync(this.#fd);
      this.#compact();
      this.#fd = openSync(this.file, 'a');
    }
  }

  override close(): void {
    if (this.#fd < 0) return;
    closeSync(this.#fd);
    this.#fd = -1;
  }

  #load(text: string): void {
    for (const line of text.split('\n')) {
      if (!line) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue; // the last line of a killed process may be cut short
      }
      if (isHeader(parsed)) {
        this.next = Math.max(this.next, parsed.nextSeq);
        continue;
      }
      const message = deviceDataMessage.safeParse(parsed);
      if (!message.success) continue;
      this.messages.push(message.data);
      this.next = Math.max(this.next, message.data.seq + 1);
    }
  }

  #compact(): void {
    const lines = [JSON.stringify({ nextSeq: this.next }), ...this.messages.map((m) => JSON.stringify(m))];
    writeFileSync(`${this.file}.tmp`, `${lines.join('\n')}\n`);
    renameSync(`${this.file}.tmp`, this.file);
    this.#linesSinceCompaction = 0;
  }
}

function isHeader(value: unknown): value is { nextSeq: number } {
  return typeof value === 'object' && value !== null && 'nextSeq' in value && typeof value.nextSeq === 'number';
}
