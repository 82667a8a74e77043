import { GuidanceRules } from '../guidance/rules.ts';
import type { LiveHub } from '../live/hub.ts';
import type { GuidanceEvent, GuidanceSettings } from '../protocol/guidance.ts';
import type { PlanView } from '../protocol/plan.ts';
import type { Store } from '../store/index.ts';
import type { StoredDot } from '../store/ingest-writer.ts';
import type { Session } from '../store/sessions.ts';
import { coverageLayout, type CoverageLayout } from './layout.ts';
import type { CoverageTally } from './tally.ts';

/** How many of a session's guidance events the tablet shows. */
export const RECENT_GUIDANCE = 5;

export interface ChairCoverage {
  session: Session;
  plan: PlanView | null;
  layout: CoverageLayout | null;
  /** This session's dots. */
  done: CoverageTally;
  /** The patient's earlier sessions, summed. */
  earlier: CoverageTally;
  /** Newest first. */
  guidance: GuidanceEvent[];
}

/**
 * Coverage of every open session against its plan, in memory: loaded from the store when a session
 * opens (or the server starts) and then moved on by each committed dot, never by a rescan. Each dot
 * also goes through the guidance rules; what they notice is stored and announced on the hub.
 */
export class CoverageTracker {
  readonly #byChair = new Map<string, ChairCoverage>();
  readonly rules: GuidanceRules;

  constructor(
    private readonly store: Store,
    private readonly hub: LiveHub,
    settings: GuidanceSettings,
  ) {
    this.rules = new GuidanceRules(settings);
    for (const session of store.sessions.listOpen()) this.#open(session);
    hub.on('session', ({ session, change }) => {
      if (change === 'started') this.#open(session);
      else {
        if (this.#byChair.get(session.chairId)?.session.id === session.id) this.#byChair.delete(session.chairId);
        this.rules.sessionEnded(session.id);
      }
    });
    hub.on('handover', ({ session }) => {
      const coverage = this.#byChair.get(session.chairId);
      if (coverage?.session.id === session.id) coverage.session = session;
    });
    hub.on('plan', ({ planId }) => {
      for (const coverage of this.#byChair.values()) {
        if (coverage.session.planId !== planId) continue;
        coverage.plan = store.plans.plan(planId) ?? null;
        coverage.layout = coverage.plan && coverageLayout(coverage.plan.regions);
      }
    });
    hub.on('dots', ({ chairId, dots }) => this.#count(chairId, dots));
  }

  forChair(chairId: string): ChairCoverage | undefined {
    return this.#byChair.get(chairId);
  }

  #open(session: Session): void {
    const plan = session.planId ? (this.store.plans.plan(session.planId) ?? null) : null;
    this.#byChair.set(session.chairId, {
      session,
      plan,
      layout: plan && coverageLayout(plan.regions),
      done: this.store.coverage.session(session.key),
      earlier: this.store.coverage.earlier(session.patientRef, session),
      guidance: this.store.guidance.latest(session, RECENT_GUIDANCE),
    });
  }

  #count(chairId: string, dots: readonly StoredDot[]): void {
    const coverage = this.#byChair.get(chairId);
    if (!coverage) return;
    const { session, plan, layout, done } = coverage;
    const cells = new Set<number>();
    let counted = 0;
    for (const dot of dots) {
      // A dot resent late may belong to an earlier session of this chair: the store has it counted there.
      if (dot.sessionId !== session.id) continue;
      counted += 1;
      const cell = done.add(dot);
      if (cell !== undefined) cells.add(cell);
      const planned = plan?.regions[dot.region];
      const notices = this.rules.check({
        sessionId: session.id,
        operatorId: session.operatorId,
        dot,
        planned,
        done: done.region(dot.region),
        target: layout?.regionTarget[dot.region],
      });
      for (const notice of notices) {
        const event = this.store.guidance.add({ sessionKey: session.key, sessionId: session.id, chairId, ...notice });
        coverage.guidance = [event, ...coverage.guidance].slice(0, RECENT_GUIDANCE);
        this.hub.emit('guidance', event);
      }
    }
    if (counted > 0) this.hub.emit('coverage', { chairId, sessionId: session.id, cells: [...cells] });
  }
}
