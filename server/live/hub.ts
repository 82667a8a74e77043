import type { StoredDot } from '../store/ingest-writer.ts';
import type { Session } from '../store/sessions.ts';
import type { Logger } from '../log.ts';
import type { AlarmChange, AlarmView } from '../protocol/alarms.ts';
import type { BreakEvent } from '../protocol/breaks.ts';
import type { GuidanceEvent } from '../protocol/guidance.ts';

export interface LiveSample {
  deviceId: string;
  chairId: string;
  madeAt: number;
  cycleHz: number;
  needles: number;
  running: boolean;
  batteryPct: number | undefined;
}

export interface LiveIncident {
  deviceId: string;
  chairId: string;
  kind: 'refused' | 'gap';
  seq: number | null;
  seqTo: number | null;
  detail: string;
  at: number;
}

/**
 * What the rest of the server (live views, alarms, breaks) can listen to. Dots and incidents are
 * emitted after their commit, so counts on screen never run ahead of the store; a telemetry
 * sample is emitted as it arrives, because it is a reading to show now, not a count.
 */
export interface LiveEvents {
  dots: { deviceId: string; chairId: string; dots: StoredDot[] };
  sample: LiveSample;
  device: { deviceId: string; chairId: string; online: boolean; at: number };
  session: { session: Session; change: 'started' | 'ended' };
  /** An open session's chair was handed to another operator (`session` names the new one). */
  handover: { session: Session; from: string; at: number };
  region: { chairId: string; region: string };
  /** A chair was added or a device paired to it: its set-up changed. */
  setup: { chairId: string };
  incident: LiveIncident;
  /** A plan was edited: sessions following it measure against the new targets. */
  plan: { planId: string };
  /** The chair's open session counted new dots; these cells of its grid gained some. */
  coverage: { chairId: string; sessionId: string; cells: number[] };
  guidance: GuidanceEvent;
  /** The break engine decided something about an operator (logged already). */
  break: BreakEvent;
  /** A clinic setting the screens show changed (the alarm sound): browsers take a fresh snapshot. */
  settings: Record<string, never>;
  /** The chair's outlook (forecast, signs of fatigue) was worked out anew. */
  outlook: { chairId: string };
  /** An alarm changed in the alarm book (its record is written right after). */
  alarm: { chairId: string; alarm: AlarmView; change: AlarmChange };
}

type Listener<K extends keyof LiveEvents> = (payload: LiveEvents[K]) => void;

/** In-process fan-out. A listener that throws is logged and never breaks ingest or other listeners. */
export class LiveHub {
  readonly #listeners = new Map<keyof LiveEvents, Set<Listener<never>>>();

  constructor(private readonly log: Logger) {}

  on<K extends keyof LiveEvents>(event: K, listener: Listener<K>): () => void {
    const set = this.#listeners.get(event) ?? new Set();
    set.add(listener as Listener<never>);
    this.#listeners.set(event, set);
    return () => set.delete(listener as Listener<never>);
  }

  emit<K extends keyof LiveEvents>(event: K, payload: LiveEvents[K]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of set) {
      try {
        (listener as Listener<K>)(payload);
      } catch (error) {
        this.log.error({ err: error, event }, 'live listener failed');
      }
    }
  }
}
