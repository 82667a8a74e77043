import type { BreakService } from '../breaks/break-service.ts';
import type { Clock } from '../clock.ts';
import type { CoverageTracker } from '../coverage/tracker.ts';
import type { LiveHub } from '../live/hub.ts';
import type { Logger } from '../log.ts';
import { fatigueSignText, type OutlookView } from '../protocol/outlook.ts';
import { everyRound } from '../rounds.ts';
import type { Store } from '../store/index.ts';
import type { Session } from '../store/sessions.ts';
import { breakOutlook } from './break-outlook.ts';
import { regionsLeft, type RegionLeft } from './pace-forecast.ts';
import { SessionOutlook } from './session-outlook.ts';

export interface OutlookOptions {
  /** How often (real ms) each open session's outlook is worked out anew: every few seconds, not per dot. */
  everyMs: number;
}

export const defaultOutlook: OutlookOptions = { everyMs: 5_000 };

interface ChairOutlook {
  session: Session;
  outlook: SessionOutlook;
  /** The region the newest dot went to: worked first in the forecast. */
  region: string | null;
  view: OutlookView | null;
}

/**
 * The look ahead of every open session: its work fed from the hub as it arrives, its forecast and
 * fatigue reading worked out every few seconds and announced, the clinic's response to signs of
 * fatigue passed to the break engine, and each operator's baselines kept when their session ends.
 */
export class OutlookService {
  readonly #byChair = new Map<string, ChairOutlook>();
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    private readonly hub: LiveHub,
    private readonly clock: Clock,
    private readonly coverage: Pick<CoverageTracker, 'forChair'>,
    private readonly breaks: Pick<BreakService, 'engine' | 'fatigue'>,
    options: OutlookOptions,
    log: Logger,
  ) {
    for (const session of store.sessions.listOpen()) this.#open(session);
    hub.on('session', ({ session, change }) => {
      if (change === 'started') this.#open(session);
      else this.#close(session.chairId, session.id, session.operatorId);
    });
    hub.on('handover', ({ session, from }) => {
      this.#close(session.chairId, session.id, from);
      this.#open(session);
    });
    hub.on('sample', ({ chairId, madeAt, running, cycleHz }) => {
      const chair = this.#byChair.get(chairId);
      chair?.outlook.log.sample(madeAt, running, cycleHz, this.breaks.engine.onBreak(chair.session.operatorId));
    });
    hub.on('dots', ({ chairId, dots }) => {
      const chair = this.#byChair.get(chairId);
      if (!chair) return;
      const plan = this.coverage.forChair(chairId)?.plan;
      for (const dot of dots) {
        // A dot of an earlier session, resent late, is not this session's work.
        if (dot.sessionId !== chair.session.id) continue;
        chair.outlook.log.skin = plan?.regions[dot.region]?.skin ?? 'normal';
        chair.outlook.log.dot(dot.madeAt, dot.dwellMs, dot.cycles);
        chair.region = dot.region;
      }
    });
    this.#timer = everyRound(options.everyMs, 'the outlook refresh', log, () => this.refresh());
  }

  view(chairId: string): OutlookView | null {
    return this.#byChair.get(chairId)?.view ?? null;
  }

  /** Works out every open session's outlook now, announces it, and acts on signs of fatigue. */
  refresh(): void {
    const at = this.clock.now();
    const policy = this.breaks.engine.policy;
    for (const [chairId, chair] of this.#byChair) {
      const operatorId = chair.session.operatorId;
      chair.view = chair.outlook.look({
        at,
        regionsLeft: this.#regionsLeft(chairId, chair.region),
        breaks: breakOutlook(this.breaks.engine.exportState(operatorId), policy),
        readFatigue: policy.fatigueResponse !== 'off',
      });
      const signs = chair.view.fatigue;
      if (signs?.shown && policy.fatigueResponse === 'break') this.breaks.fatigue(operatorId, fatigueSignText(signs));
      this.hub.emit('outlook', { chairId });
    }
  }

  close(): void {
    clearInterval(this.#timer);
    for (const [chairId, chair] of this.#byChair) this.#close(chairId, chair.session.id, chair.session.operatorId);
  }

  #open(session: Session): void {
    const outlook = new SessionOutlook(session.operatorId, this.store.workBaselines.ofOperator(session.operatorId));
    this.#byChair.set(session.chairId, { session, outlook, region: null, view: null });
  }

  /** The session's work ends here for `operatorId`: the baselines it completed are theirs to keep. */
  #close(chairId: string, sessionId: string, operatorId: string): void {
    const chair = this.#byChair.get(chairId);
    if (chair?.session.id !== sessionId) return;
    const baselines = chair.outlook.baselines();
    if (baselines.size > 0) this.store.workBaselines.save(operatorId, sessionId, baselines, this.clock.now());
    this.#byChair.delete(chairId);
  }

  #regionsLeft(chairId: string, current: string | null): RegionLeft[] | null {
    const coverage = this.coverage.forChair(chairId);
    if (!coverage?.plan || !coverage.layout) return null;
    const { plan, layout, done } = coverage;
    return regionsLeft(plan.regions, layout.regionTarget, (region) => done.regions.get(region) ?? 0, current);
  }
}
