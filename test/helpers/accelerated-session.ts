import { skinHand, tiringHand, type HandCourse, type TiringRamp } from '../../device-sim/hand-course.ts';
import { HandpieceScript, type PlannedRegion } from '../../device-sim/handpiece-script.ts';
import { BreakEngine } from '../../server/breaks/engine.ts';
import { breakOutlook } from '../../server/outlook/break-outlook.ts';
import { regionsLeft } from '../../server/outlook/pace-forecast.ts';
import { SessionOutlook } from '../../server/outlook/session-outlook.ts';
import type { WorkStats } from '../../server/outlook/work-log.ts';
import { defaultBreakPolicy, type BreakPolicy } from '../../server/protocol/breaks.ts';
import type { OutlookView } from '../../server/protocol/outlook.ts';
import type { SkinCondition } from '../../server/protocol/plan.ts';

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
/** A Monday at 08:00 local time: sessions start in the morning, days never roll over. */
export const SESSION_START = new Date(2026, 0, 5, 8, 0, 0).getTime();

export type WorkScenario = 'steady' | 'tiring' | 'region-change';

export interface AcceleratedSession {
  seed: number;
  scenario: WorkScenario;
  /** Session time to play at most; a plan's session ends when its last dot is made. */
  hours: number;
  plan?: Record<string, PlannedRegion & { skin: SkinCondition }> | undefined;
  policy?: BreakPolicy;
  telHz?: number;
  /** How a tiring hand's change unfolds. */
  ramp?: TiringRamp;
  /** A hand of the test's own in place of the scenario's. */
  hand?: HandCourse;
  /** The plan does not say the skin: the outlook takes every region for normal skin. */
  blindToSkin?: boolean;
  /** The operator's baselines from earlier sessions. */
  earlier?: ReadonlyMap<SkinCondition, WorkStats>;
}

export interface SessionMoment {
  at: number;
  outlook: SessionOutlook;
  engine: BreakEngine;
  dots: number;
  /** The outlook as the server works it out, now. */
  look(): OutlookView;
}

export interface PlayedSession {
  /** When the tiring hand began to tire. */
  onsetAt: number | null;
  /** When the plan's last dot was made, or the time played ran out. */
  endedAt: number;
  outlook: SessionOutlook;
}

const OPERATOR = 'op';

/**
 * One operator's session played second by second through the pure parts the server runs, fed as
 * the server's outlook service feeds them: the simulated handpiece, the break engine (whose breaks
 * the hand obeys) and the session's outlook. `everyMinute` sees the session each minute of session
 * time; it returns false to stop early.
 */
export function playSession(options: AcceleratedSession, everyMinute: (moment: SessionMoment) => boolean | void = () => {}): PlayedSession {
  const tiring = options.scenario === 'tiring' ? tiringHand(options.seed, SESSION_START, options.ramp) : null;
  const hand = options.hand ?? tiring?.course ?? (options.scenario === 'region-change' ? skinHand : undefined);
  const script = new HandpieceScript({ seed: options.seed, startAt: SESSION_START, telHz: options.telHz ?? 5, hand });
  const plan = options.plan;
  if (plan) script.followPlan(plan);
  const targets = Object.fromEntries(Object.entries(plan ?? {}).map(([id, r]) => [id, r.target]));
  const policy = options.policy ?? defaultBreakPolicy;
  const engine = new BreakEngine(policy, () => 'day', 2_000);
  engine.sessionStarted(OPERATOR, SESSION_START);
  const outlook = new SessionOutlook(OPERATOR, options.earlier ?? new Map());
  const done = new Map<string, number>();
  let dots = 0;
  let region: string | null = null;
  const look = (at: number) =>
    outlook.look({
      at,
      regionsLeft: plan ? regionsLeft(plan, targets, (id) => done.get(id) ?? 0, region) : null,
      breaks: breakOutlook(engine.exportState(OPERATOR), policy),
      readFatigue: policy.fatigueResponse !== 'off',
    });

  const end = SESSION_START + options.hours * HOUR;
  const played = (endedAt: number): PlayedSession => ({ onsetAt: tiring?.onsetAt ?? null, endedAt, outlook });
  for (let at = SESSION_START + 1000; at <= end; at += 1000) {
    for (const event of script.advance(at, engine.onBreak(OPERATOR))) {
      if (event.kind === 'tel') {
        engine.sample(OPERATOR, event.at, event.running);
        outlook.log.sample(event.at, event.running, event.cycleHz, engine.onBreak(OPERATOR));
      } else {
        engine.dot(OPERATOR, event.at);
        outlook.log.skin = (!options.blindToSkin && plan?.[event.region]?.skin) || 'normal';
        outlook.log.dot(event.at, event.dwellMs, event.cycles);
        done.set(event.region, (done.get(event.region) ?? 0) + 1);
        region = event.region;
        dots += 1;
      }
    }
    engine.tick(at);
    if (plan && script.finished) return played(at);
    if ((at - SESSION_START) % MINUTE === 0 && everyMinute({ at, outlook, engine, dots, look: () => look(at) }) === false) return played(at);
  }
  return played(end);
}

const region = (target: number, needles: number, skin: SkinCondition) => ({ target, needles, skin });

/** About six hours of work on normal skin: a plan that fits an eight-hour session. */
export const STEADY_PLAN = {
  hairline: region(3000, 1, 'normal'),
  'temporal-left': region(900, 1, 'normal'),
  'temporal-right': region(900, 1, 'normal'),
  frontal: region(3500, 3, 'normal'),
  midscalp: region(4000, 3, 'normal'),
  'parietal-left': region(1500, 3, 'normal'),
  'parietal-right': region(1500, 3, 'normal'),
  crown: region(2500, 5, 'normal'),
  occipital: region(2000, 3, 'normal'),
};

/** More than eight hours of work, the skin changing from region to region: normal, thinned, scarred. */
export const MIXED_SKIN_PLAN = {
  hairline: region(3000, 1, 'normal'),
  'temporal-left': region(900, 1, 'atrophic'),
  'temporal-right': region(900, 1, 'atrophic'),
  frontal: region(3500, 3, 'normal'),
  midscalp: region(4000, 3, 'atrophic'),
  'parietal-left': region(1500, 3, 'scar'),
  'parietal-right': region(1500, 3, 'scar'),
  crown: region(3000, 5, 'normal'),
  occipital: region(5000, 3, 'scar'),
};
