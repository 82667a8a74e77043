import type { DotWrite, IncidentWrite, IngestWriter, SampleWrite, StoredDot } from '../store/ingest-writer.ts';
import type { DeviceState } from './device-state.ts';

export interface GroupCommitOptions {
  /** How long the first message of a batch may wait for company before the commit. */
  windowMs: number;
  /** A batch this big is committed at once. */
  maxBatch: number;
}

/**
 * 40 ms, within the "few tens of ms" protocol v1 allows: at 16 chairs it halved the server's CPU
 * against a 10 ms window (docs/performance.md), since a commit's fsync, statements and acks serve
 * four times the messages. Nobody waits on it: live readings go to the screens before their commit.
 */
export const defaultGroupCommit: GroupCommitOptions = { windowMs: 40, maxBatch: 2_000 };

export interface Committed {
  dots: StoredDot[];
  /** How many telemetry samples the commit held. */
  samples: number;
  incidents: IncidentWrite[];
  devices: DeviceState[];
  /** How long the transaction took, fsync included. */
  writeMs: number;
}

export interface GroupCommitEvents {
  committed(result: Committed): void;
  /** The batch could not be stored (disk full, I/O error); none of it was acknowledged. */
  failed(error: unknown, devices: DeviceState[]): void;
}

/**
 * Gathers what the device sockets accept into one transaction every few tens of milliseconds: one fsync
 * serves many messages, and no ack leaves before the commit that it promises.
 */
export class GroupCommit {
  #dots: DotWrite[] = [];
  #samples: SampleWrite[] = [];
  #incidents: IncidentWrite[] = [];
  #devices = new Set<DeviceState>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly writer: IngestWriter,
    private readonly options: GroupCommitOptions,
    private readonly events: GroupCommitEvents,
  ) {}

  get pending(): number {
    return this.#dots.length + this.#samples.length + this.#incidents.length + this.#devices.size;
  }

  addDot(device: DeviceState, dot: DotWrite): void {
    this.#dots.push(dot);
    this.#touch(device);
  }

  addSample(device: DeviceState, sample: SampleWrite): void {
    this.#samples.push(sample);
    this.#touch(device);
  }

  /** An incident with a seq moves the device's watermark (it is acknowledged); one without does not. */
  addIncident(device: DeviceState, incident: IncidentWrite): void {
    this.#incidents.push(incident);
    if (incident.kind === 'refused' && incident.seq !== null) this.#touch(device);
    else this.#schedule();
  }

  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.pending === 0) return;
    const devices = [...this.#devices];
    const batch = {
      dots: this.#dots,
      samples: this.#samples,
      incidents: this.#incidents,
      progress: devices.map((d) => ({ deviceKey: d.key, lastSeq: d.acceptedSeq, clockOffsetMs: d.clock.offsetMs ?? null })),
    };
    this.#dots = [];
    this.#samples = [];
    this.#incidents = [];
    this.#devices = new Set();
    let stored: StoredDot[];
    const began = performance.now();
    try {
      stored = this.writer.write(batch);
    } catch (error) {
      this.events.failed(error, devices);
      return;
    }
    const writeMs = performance.now() - began;
    batch.progress.forEach((p, i) => (devices[i]!.storedSeq = Math.max(devices[i]!.storedSeq, p.lastSeq)));
    this.events.committed({ dots: stored, samples: batch.samples.length, incidents: batch.incidents, devices, writeMs });
  }

  #touch(device: DeviceState): void {
    this.#devices.add(device);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#dots.length + this.#samples.length >= this.options.maxBatch) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), this.options.windowMs);
  }
}
