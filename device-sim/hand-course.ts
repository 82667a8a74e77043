import type { SkinCondition } from '../server/protocol/plan.ts';
import { Random } from './random.ts';

/**
 * How the hand works at a moment, as multiples of the steady hand's: the gap between dots within
 * a stroke, the pauses between strokes, and the dwell of each dot (its mean and its spread).
 */
export interface HandStyle {
  dotGap: number;
  pause: number;
  dwellMean: number;
  dwellSd: number;
}

export const STEADY_HAND: HandStyle = { dotGap: 1, pause: 1, dwellMean: 1, dwellSd: 1 };

/** The hand's style at a moment, on the skin being worked. */
export type HandCourse = (at: number, skin: SkinCondition) => HandStyle;

const HOUR = 3_600_000;

export interface TiringHand {
  course: HandCourse;
  /** When the hand starts to tire. */
  onsetAt: number;
  /** The style the tiring settles at, an hour after the onset. */
  tired: HandStyle;
}

/**
 * How far into its change a tiring hand is, `t` ms after the onset: settling (the default) moves
 * most of the way in the first half-hour and all of it within the hour (1 − e^(−t/20 min));
 * linear takes the hour evenly, a slower start that docs/fatigue.md measures too.
 */
export type TiringRamp = 'settling' | 'linear';

const RAMPS: Record<TiringRamp, (t: number) => number> = {
  settling: (t) => 1 - Math.exp(-t / (HOUR / 3)),
  linear: (t) => Math.min(1, t / HOUR),
};

/**
 * A hand that tires: from an onset two to four hours into the work, over an hour, the dots come
 * 5–10 % further apart within a stroke, the pauses between strokes grow 15–35 % (together, the
 * pace drops about 9–19 %) and the dwell's spread grows 25–50 % (docs/fatigue.md). Its own seeded
 * draws, so that the work's noise is the steady hand's, draw for draw.
 */
export function tiringHand(seed: number, startAt: number, ramp: TiringRamp = 'settling'): TiringHand {
  const random = new Random(seed + 0x7172);
  const onsetAt = startAt + random.between(2 * HOUR, 4 * HOUR);
  const tired: HandStyle = {
    dotGap: 1 + random.between(0.05, 0.1),
    pause: 1 + random.between(0.15, 0.35),
    dwellMean: 1,
    dwellSd: 1 + random.between(0.25, 0.5),
  };
  const course: HandCourse = (at) => {
    const f = at <= onsetAt ? 0 : RAMPS[ramp](at - onsetAt);
    return {
      dotGap: 1 + (tired.dotGap - 1) * f,
      pause: 1 + (tired.pause - 1) * f,
      dwellMean: 1,
      dwellSd: 1 + (tired.dwellSd - 1) * f,
    };
  };
  return { course, onsetAt, tired };
}

/**
 * The skin, not the operator, changes the work: thin atrophic skin takes a shorter dwell; scar
 * tissue a longer and less even one, slower dots and more repositioning.
 */
export const SKIN_HAND: Readonly<Record<SkinCondition, HandStyle>> = {
  normal: STEADY_HAND,
  atrophic: { dotGap: 1, pause: 1, dwellMean: 0.8, dwellSd: 0.85 },
  scar: { dotGap: 1.15, pause: 1.2, dwellMean: 1.3, dwellSd: 1.6 },
};

export const skinHand: HandCourse = (_at, skin) => SKIN_HAND[skin];
