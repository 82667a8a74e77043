import { describe, expect, it } from 'vitest';
import { defaultGuidanceSettings, type GuidanceSettings } from '../protocol/guidance.ts';
import type { SkinCondition } from '../protocol/plan.ts';
import { GuidanceRules, type DotInContext } from './rules.ts';

const settings: GuidanceSettings = { overworkFactor: 2, normWindow: 200, minHistory: 30, overworkCooldownMs: 60_000 };

interface DotOptions {
  session?: string;
  operator?: string;
  region?: string;
  needles?: number;
  dwellMs?: number;
  cycles?: number;
  at?: number;
  planned?: { needles: number; skin: SkinCondition } | null;
  done?: number;
  target?: number;
}

/** One dot through the rules; by default a usual dot that matches a 3-needle plan, with no target. */
function check(rules: GuidanceRules, o: DotOptions = {}) {
  const input: DotInContext = {
    sessionId: o.session ?? 'se_1',
    operatorId: o.operator ?? 'op_ana',
    dot: { region: o.region ?? 'crown', needles: o.needles ?? 3, dwellMs: o.dwellMs ?? 100, cycles: o.cycles ?? 15, madeAt: o.at ?? 0 },
    planned: o.planned === null ? undefined : (o.planned ?? { needles: 3, skin: 'normal' }),
    done: o.done ?? 1,
    target: o.target,
  };
  return rules.check(input);
}

const kinds = (notices: ReturnType<typeof check>) => notices.map((n) => n.kind);

/** Builds the operator's norm: `n` usual dots (100 ms, 15 cycles) on one kind of skin. */
function history(rules: GuidanceRules, n: number, o: DotOptions = {}) {
  for (let i = 0; i < n; i++) expect(check(rules, { at: i, ...o })).toEqual([]);
}

describe('guidance: needle grouping against the plan', () => {
  it('a wrong grouping is reported once per episode, with what the plan calls for', () => {
    const rules = new GuidanceRules(settings);
    const first = check(rules, { needles: 1, at: 1_000 });
    expect(first).toEqual([{ kind: 'needles', region: 'crown', at: 1_000, message: '1-needle grouping in crown; the plan calls for 3' }]);
    expect(check(rules, { needles: 1, at: 1_100 })).toEqual([]);
    expect(check(rules, { needles: 1, at: 1_200 })).toEqual([]);
  });

  it('after the right grouping was used in between, the wrong one is reported again', () => {
    const rules = new GuidanceRules(settings);
    expect(kinds(check(rules, { needles: 1 }))).toEqual(['needles']);
    expect(check(rules, { needles: 3 })).toEqual([]);
    expect(kinds(check(rules, { needles: 1 }))).toEqual(['needles']);
  });

  it('another wrong grouping, or the same one in another region, is a new episode', () => {
    const rules = new GuidanceRules(settings);
    expect(kinds(check(rules, { needles: 1 }))).toEqual(['needles']);
    expect(kinds(check(rules, { needles: 5 }))).toEqual(['needles']);
    expect(kinds(check(rules, { needles: 5, region: 'midscalp' }))).toEqual(['needles']);
  });

  it('episodes are kept per session: another chair\'s session is told on its own', () => {
    const rules = new GuidanceRules(settings);
    expect(kinds(check(rules, { needles: 1, session: 'se_1' }))).toEqual(['needles']);
    expect(kinds(check(rules, { needles: 1, session: 'se_2' }))).toEqual(['needles']);
    expect(check(rules, { needles: 1, session: 'se_1' })).toEqual([]);
  });

  it('without a plan for the region nothing is said about needles', () => {
    const rules = new GuidanceRules(settings);
    expect(check(rules, { needles: 6, planned: null })).toEqual([]);
  });
});

describe('guidance: a region going over its target', () => {
  it('is reported exactly once, at the dot that takes the region past 110%', () => {
    const rules = new GuidanceRules(settings);
    const said: Array<[number, string[]]> = [];
    for (let done = 1; done <= 20; done++) said.push([done, kinds(check(rules, { done, target: 10, at: done }))]);
    expect(said.filter(([, k]) => k.includes('over-target'))).toEqual([[12, ['over-target']]]);
  });

  it('the message names the region and its counts and asks to stop there', () => {
    const rules = new GuidanceRules(settings);
    const [notice] = check(rules, { region: 'hairline', done: 45, target: 40, at: 7 });
    expect(notice).toEqual({
      kind: 'over-target', region: 'hairline', at: 7,
      message: 'hairline is over its target (45 of 40 dots): stop here to keep the look natural',
    });
  });

  it('a dot in a region the plan leaves out this session (target 0) is reported once, saying so', () => {
    const rules = new GuidanceRules(settings);
    const [notice] = check(rules, { region: 'occipital', done: 1, target: 0 });
    expect(notice).toMatchObject({ kind: 'over-target', region: 'occipital', message: 'dots in occipital, which the plan leaves out this session' });
    expect(check(rules, { region: 'occipital', done: 2, target: 0 })).toEqual([]);
  });

  it('without a target (no plan) nothing is said, however many dots', () => {
    const rules = new GuidanceRules(settings);
    expect(check(rules, { done: 10_000, planned: null })).toEqual([]);
  });
});

describe('guidance: overwork hint against the operator\'s recent norm', () => {
  it('is not given before the norm has minHistory dots', () => {
    const rules = new GuidanceRules(settings);
    history(rules, settings.minHistory - 1);
    expect(check(rules, { dwellMs: 5_000, at: 100 })).toEqual([]);
    // The norm is full now: the same long dot is a hint.
    expect(kinds(check(rules, { dwellMs: 5_000, at: 101 }))).toEqual(['overwork']);
  });

  it('is given for a dot worked longer than factor × the median dwell, not at exactly factor ×', () => {
    const rules = new GuidanceRules(settings);
    history(rules, 40);
    expect(check(rules, { dwellMs: 200, at: 1_000 })).toEqual([]);
    expect(kinds(check(rules, { dwellMs: 201, at: 1_001 }))).toEqual(['overwork']);
  });

  it('is given for a dot of more than factor × the usual cycles', () => {
    const rules = new GuidanceRules(settings);
    history(rules, 40);
    const [notice] = check(rules, { cycles: 31, at: 1_000 });
    expect(notice?.kind).toBe('overwork');
    expect(notice?.message).toContain('cycles 31');
  });

  it('says it is a hint with the threshold from settings, not a measured depth', () => {
    const rules = new GuidanceRules({ ...settings, overworkFactor: 3 });
    history(rules, 40);
    expect(check(rules, { dwellMs: 300, at: 1_000 })).toEqual([]);
    const [notice] = check(rules, { dwellMs: 450, at: 1_001 });
    expect(notice).toMatchObject({ kind: 'overwork', region: 'crown', at: 1_001 });
    expect(notice!.message).toBe(
      'overwork hint on normal skin in crown: dwell 450 ms is 4.5× your recent norm (100 ms); ' +
        'threshold 3× from settings, a hint from the handpiece, not a measured depth',
    );
  });

  it('respects the cooldown per session and region, timed by the dots themselves', () => {
    const rules = new GuidanceRules(settings);
    history(rules, 40);
    const long = { dwellMs: 1_000 };
    expect(kinds(check(rules, { ...long, at: 100_000 }))).toEqual(['overwork']);
    expect(check(rules, { ...long, at: 159_999 })).toEqual([]);
    // Another region and another session are not held back by that cooldown.
    expect(kinds(check(rules, { ...long, at: 159_999, region: 'midscalp' }))).toEqual(['overwork']);
    expect(kinds(check(rules, { ...long, at: 159_999, session: 'se_2' }))).toEqual(['overwork']);
    expect(kinds(check(rules, { ...long, at: 160_000 }))).toEqual(['overwork']);
  });

  it('keeps a norm per skin condition: scar work is compared with scar work', () => {
    const rules = new GuidanceRules(settings);
    history(rules, 40);
    const scar = { planned: { needles: 3, skin: 'scar' as const } };
    // No scar history yet: even a very long dot on scar skin is no hint.
    expect(check(rules, { ...scar, dwellMs: 5_000, at: 1_000 })).toEqual([]);
    history(rules, 40, { ...scar, dwellMs: 400 });
    // 500 ms is usual on this scar but five times the norm on normal skin.
    expect(check(rules, { ...scar, dwellMs: 500, at: 2_000 })).toEqual([]);
    const [normal] = check(rules, { dwellMs: 500, at: 2_001 });
    expect(normal?.message).toMatch(/^overwork hint on normal skin/);
    const [onScar] = check(rules, { ...scar, dwellMs: 900, at: 2_002, region: 'midscalp' });
    expect(onScar?.message).toMatch(/^overwork hint on scar skin in midscalp: dwell 900 ms is 2\.3× your recent norm \(400 ms\)/);
  });

  it('keeps a norm per operator: one operator\'s slow hand does not excuse another\'s', () => {
    const rules = new GuidanceRules(settings);
    history(rules, 40, { operator: 'op_slow', dwellMs: 600 });
    expect(check(rules, { operator: 'op_fast', dwellMs: 1_000, at: 5_000 })).toEqual([]); // no history for op_fast yet
    history(rules, 40, { operator: 'op_fast' });
    expect(check(rules, { operator: 'op_slow', dwellMs: 1_000, at: 6_000 })).toEqual([]);
    expect(kinds(check(rules, { operator: 'op_fast', dwellMs: 1_000, at: 6_001 }))).toEqual(['overwork']);
  });

  it('the default settings are 2× the norm over the last 200 dots, after 30, at most once a minute per region', () => {
    expect(defaultGuidanceSettings).toEqual({ overworkFactor: 2, normWindow: 200, minHistory: 30, overworkCooldownMs: 60_000 });
  });
});

describe('guidance: memory across a clinic day', () => {
  it('an ended session leaves no mismatch or overwork state behind, and the operator keeps their norm', () => {
    const rules = new GuidanceRules(settings);
    history(rules, 40);
    for (let s = 1; s <= 50; s++) {
      const session = `se_${s}`;
      expect(kinds(check(rules, { session, needles: 5, at: s * 1_000 }))).toEqual(['needles']);
      expect(kinds(check(rules, { session, dwellMs: 500, at: s * 1_000 + 1 }))).toEqual(['overwork']);
      rules.sessionEnded(session);
    }
    expect(rules.sessionsHeld).toBe(0);
    // The norm outlived the sessions: a long dot in a new session is an overwork hint at once.
    expect(kinds(check(rules, { session: 'se_next', dwellMs: 500, at: 100_000 }))).toEqual(['overwork']);
    expect(rules.sessionsHeld).toBe(1);
  });
});
