import type { Role } from '../auth/roles.ts';
import type { ReviewedSetting, SetupStep } from '../protocol/setup.ts';

/** A chair's handpiece as far as setting up goes: none paired, paired but never connected, or connected. */
export type HandpieceProgress = 'none' | 'paired' | 'connected';

/** The clinic's state that the checklist reads. */
export interface SetupFacts {
  clinicName: string | null;
  chairs: ReadonlyArray<{ name: string; handpiece: HandpieceProgress }>;
  /** The roles of the people who may sign in; disabled people are left out. */
  roles: readonly Role[];
  reviewedAt: Partial<Record<ReviewedSetting, number>>;
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** "Chair 1", "Chair 1 and Chair 2", "Chair 1, Chair 2, Chair 3 and 2 more". */
function names(list: readonly string[]): string {
  const shown = list.length > 4 ? [...list.slice(0, 3), `${list.length - 3} more`] : list;
  return shown.length === 1 ? shown[0]! : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

function handpieces(chairs: SetupFacts['chairs']): SetupStep {
  if (chairs.length === 0) return { id: 'handpieces', done: false, detail: 'Add a chair first' };
  const without = chairs.filter((c) => c.handpiece === 'none').map((c) => c.name);
  const waiting = chairs.filter((c) => c.handpiece === 'paired').map((c) => c.name);
  const gaps = [
    ...(without.length > 0 ? [`${names(without)} ${without.length === 1 ? 'has' : 'have'} no handpiece`] : []),
    ...(waiting.length > 0 ? [`${names(waiting)}: paired, not connected yet`] : []),
  ];
  if (gaps.length > 0) return { id: 'handpieces', done: false, detail: gaps.join('; ') };
  return { id: 'handpieces', done: true, detail: chairs.length === 1 ? 'The handpiece has connected' : `All ${chairs.length} handpieces have connected` };
}

function people(roles: readonly Role[]): SetupStep {
  const operators = roles.filter((r) => r === 'operator').length;
  // An admin with a password watches the wall as a supervisor does: a small clinic's owner is often both.
  const supervisors = roles.length - operators;
  const parts = [
    operators > 0 ? `${count(operators, 'operator')} with a PIN` : 'no operator yet',
    supervisors > 0 ? `${count(supervisors, 'supervisor')} with a password` : 'no supervisor yet',
  ];
  const detail = parts.join(', ');
  return { id: 'people', done: operators > 0 && supervisors > 0, detail: detail.charAt(0).toUpperCase() + detail.slice(1) };
}

function reviewed(id: ReviewedSetting, facts: SetupFacts): SetupStep {
  const done = facts.reviewedAt[id] !== undefined;
  return { id, done, detail: done ? 'Reviewed' : 'The defaults hold until someone saves them, changed or as they are' };
}

/** Each step of the first-run checklist, done or not, from the clinic's state as it is. */
export function setupSteps(facts: SetupFacts): SetupStep[] {
  return [
    facts.clinicName === null
      ? { id: 'clinic', done: false, detail: 'Not named yet' }
      : { id: 'clinic', done: true, detail: `The wall shows “${facts.clinicName}”` },
    facts.chairs.length === 0
      ? { id: 'chairs', done: false, detail: 'No chair yet' }
      : { id: 'chairs', done: true, detail: `${count(facts.chairs.length, 'chair')}: ${names(facts.chairs.map((c) => c.name))}` },
    handpieces(facts.chairs),
    people(facts.roles),
    reviewed('breaks', facts),
    reviewed('alarms', facts),
  ];
}
