import type { OperatorState } from '../breaks/engine.ts';
import type { BreakPolicy } from '../protocol/breaks.ts';
import type { BreakOutlook } from './pace-forecast.ts';

/** Where an operator stands against the break policy, from the break engine's state of them. */
export function breakOutlook(state: OperatorState | undefined, policy: BreakPolicy): BreakOutlook {
  const sessionEndsAt = state?.sessionStartedAt != null ? state.sessionStartedAt + policy.maxSessionMs + state.sessionExtraMs : null;
  return {
    microEveryMs: policy.microEveryMs,
    microDurationMs: policy.microDurationMs,
    restEveryMs: policy.restEveryMs,
    restDurationMs: policy.restDurationMs,
    // The engine resets a break's counter when the break is served; the forecast counts from its end.
    sinceMicroMs: state?.current ? 0 : (state?.sinceMicro ?? 0),
    sinceRestMs: state?.current?.kind === 'rest' ? 0 : (state?.sinceRest ?? 0),
    // A limit in force has no end of its own: the session end or the day's needle time, both passed, say so.
    currentUntil: state?.current?.until ?? null,
    sessionEndsAt,
    dayNeedleLeftMs: policy.dailyNeedleMs + (state?.dailyExtraMs ?? 0) - (state?.needleMsToday ?? 0),
  };
}
