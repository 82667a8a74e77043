import type { ServerMessage } from '../protocol/v1.ts';
import { ClockOffsetEstimator } from './clock-offset.ts';

export type SeqVerdict =
  | { kind: 'duplicate' }
  | { kind: 'next' }
  /** The device skipped seqs: they are lost on its side. */
  | { kind: 'gap'; from: number; to: number };

const DUPLICATE: SeqVerdict = Object.freeze({ kind: 'duplicate' });
const NEXT: SeqVerdict = Object.freeze({ kind: 'next' });

/** Classifies an incoming seq against the highest one already taken in. Pure. */
export function judgeSeq(acceptedSeq: number, seq: number): SeqVerdict {
  if (seq <= acceptedSeq) return DUPLICATE;
  // A device's very first message may start anywhere: its counter outlives pairings.
  if (acceptedSeq > 0 && seq > acceptedSeq + 1) return { kind: 'gap', from: acceptedSeq + 1, to: seq - 1 };
  return NEXT;
}

/** A device's socket, as the ingest sees it. */
export interface DeviceConnection {
  send(message: ServerMessage): void;
  close(code: number, reason: string): void;
}

/** What the server knows of one device, across all the sockets it opens over time. */
export class DeviceState {
  /** Highest seq taken into the pipeline: stored, or waiting in the open group commit. */
  acceptedSeq: number;
  /** Highest seq durably committed: what an ack or a welcome may promise. */
  storedSeq: number;
  /** The socket the device currently speaks on, if any. */
  link: DeviceConnection | undefined;
  readonly clock: ClockOffsetEstimator;

  constructor(
    readonly key: number,
    readonly id: string,
    readonly chairId: string,
    lastSeq: number,
    clockOffsetMs: number | null,
  ) {
    this.acceptedSeq = lastSeq;
    this.storedSeq = lastSeq;
    this.clock = new ClockOffsetEstimator(clockOffsetMs);
  }

  /** Nothing of this device is waiting to be committed: an ack now tells the whole truth. */
  get settled(): boolean {
    return this.acceptedSeq === this.storedSeq;
  }

  ack(): void {
    this.link?.send({ type: 'ack', seq: this.storedSeq });
  }
}
