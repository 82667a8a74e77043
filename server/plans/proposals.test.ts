import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FINDINGS, type Finding } from '../protocol/followup.ts';
import { MAX_DENSITY_PER_CM2, MAX_NEEDLES, planRegion, type PlanRegion } from '../protocol/plan.ts';
import {
  BLEEDING_DENSITY_FACTOR,
  FADED_SHARE,
  GOAL_TOLERANCE,
  IRRITATION_DENSITY_FACTOR,
  proposePlan,
  proposeRegion,
  reachedDensity,
  type FindingSeen,
  type RegionHistory,
} from './proposals.ts';
import { summedRegions } from './plan-math.ts';
import { applyTemplate, templateRegion } from './templates.ts';

// A three-session treatment on the template head: the crown is planned 29, 25 and 12 dots/cm².
const plans = (['first', 'fill-in', 'refine'] as const).map((t) => ({ regions: applyTemplate(t, 'caucasian', 1) }));
const goals = summedRegions(plans.map((p) => p.regions));
const GOAL = goals.crown!.density;
const crown: PlanRegion = plans[1]!.regions.crown!; // 75 cm², 25 dots/cm², 3 needles, charcoal
const base = templateRegion('fill-in', 'caucasian', 'crown', 'normal');
const FIRST_SESSION_DOTS = 29 * 75;

const saw = (...findings: Finding[]): FindingSeen[] => findings.map((finding) => ({ finding, laserCleared: false }));
const history = (findings: FindingSeen[], dots = FIRST_SESSION_DOTS): RegionHistory => ({ placed: { dots, areaCm2: 75 }, goalDensity: GOAL, findings });
const propose = (findings: FindingSeen[], region = crown, dots = FIRST_SESSION_DOTS) => proposeRegion('crown', region, history(findings, dots), base);

describe('the goal and the density reached', () => {
  it('the goal of a region is the sum of its planned densities over all sessions', () => {
    expect(GOAL).toBe(29 + 25 + 12);
  });

  it('the density reached is the dots over the area they were stippled on, and nothing on no area', () => {
    expect(reachedDensity({ dots: 1500, areaCm2: 75 })).toBe(20);
    expect(reachedDensity({ dots: 40, areaCm2: 0 })).toBe(0);
  });
});

describe('a proposal per finding', () => {
  it('bleeding halves the density, takes one needle off and dilutes the pigment, and says why', () => {
    const proposal = propose(saw('bleeding'))!;
    expect(proposal.kind).toBe('gentler-pass');
    expect(proposal.changes).toEqual({
      density: Math.round(25 * BLEEDING_DENSITY_FACTOR),
      needles: 2,
      hue: 'charcoal, diluted',
      note: 'Bled at follow-up: fewer, smaller, diluted dots; stay shallow.',
    });
    expect(proposal.reason).toContain('Pigment bleeding / blurring at the follow-up');
    expect(proposal.reason).toContain('half the usual density and one needle fewer, in diluted pigment');
  });

  it('faded raises the density by the faded share of what was placed, toward the goal', () => {
    const proposal = propose(saw('faded'))!;
    expect(proposal.kind).toBe('fill-in');
    expect(proposal.changes.density).toBe(Math.round(25 + FADED_SHARE * 29)); // 34
    expect(Object.keys(proposal.changes).sort()).toEqual(['density', 'note']);
    expect(proposal.reason).toContain('toward the 66 dots/cm² goal (29 placed so far)');
  });

  it('a fill-in never takes the region past the goal in one session', () => {
    // 60 of 66 placed, 30% of it faded: 42 show, so at most 24 more.
    const proposal = proposeRegion('crown', { ...crown, density: 10 }, history(saw('faded'), 60 * 75), { density: 25, needles: 3 })!;
    expect(proposal.changes.density).toBe(GOAL - 60 * (1 - FADED_SHARE));
  });

  it('faded never lowers a density the supervisor already raised: the fill-in is then a note', () => {
    const proposal = propose(saw('faded'), { ...crown, density: 40 })!;
    expect(proposal.kind).toBe('fill-in');
    expect(proposal.changes).toEqual({ note: 'Faded at follow-up: fill in between the healed dots.' });
  });

  it('a colour shift adds a pigment note and changes no numbers', () => {
    const proposal = propose(saw('colour-shift'))!;
    expect(proposal.kind).toBe('pigment-note');
    expect(proposal.changes).toEqual({ note: 'Colour shift at follow-up: match the pigment to the healed dots.' });
  });

  it('irritation proposes a lighter pass at three quarters of the density, same needles', () => {
    const proposal = propose(saw('irritation'))!;
    expect(proposal.kind).toBe('lighter-pass');
    expect(proposal.changes.density).toBe(Math.round(25 * IRRITATION_DENSITY_FACTOR));
    expect(proposal.changes.needles).toBeUndefined();
    expect(proposal.changes.note).toContain('check the skin first');
  });

  it('needs laser means no work there, and says the session is blocked until a supervisor clears it', () => {
    const proposal = propose(saw('needs-laser'))!;
    expect(proposal.kind).toBe('hold-for-laser');
    expect(proposal.changes.density).toBe(0);
    expect(proposal.reason).toContain('blocked');
  });

  it('a cleared laser finding proposes a gentle pass over the lasered skin instead of no work', () => {
    const proposal = propose([{ finding: 'needs-laser', laserCleared: true }])!;
    expect(proposal.kind).toBe('gentler-pass');
    expect(proposal.changes).toMatchObject({ density: 13, needles: 2, note: 'Lasered after bleeding: gentle pass, stay shallow.' });
  });

  it('healed well, or no finding at all, keeps the plan', () => {
    expect(propose(saw('healed-well'))).toBeNull();
    expect(propose([])).toBeNull();
  });
});

describe('the goal reached', () => {
  it('a region whose earlier sessions placed the goal gets no work (density 0)', () => {
    const proposal = propose([], crown, GOAL * 75)!;
    expect(proposal.kind).toBe('goal-reached');
    expect(proposal.changes.density).toBe(0);
    expect(proposal.reason).toContain('66 of the 66 dots/cm² goal');
  });

  it('within the tolerance below the goal counts as reached, just outside it does not', () => {
    const edge = Math.ceil(GOAL * (1 - GOAL_TOLERANCE)); // 63
    expect(propose([], crown, edge * 75)?.kind).toBe('goal-reached');
    expect(propose([], crown, (edge - 1) * 75)).toBeNull();
  });

  it('a faded region at the goal by count is filled in, since fewer dots show than were placed', () => {
    expect(propose(saw('faded'), crown, GOAL * 75)?.kind).toBe('fill-in');
  });

  it('a region planned at 0 with the goal reached needs no proposal', () => {
    expect(propose([], { ...crown, density: 0, note: 'Goal reached in earlier sessions: no new dots.' }, GOAL * 75)).toBeNull();
  });
});

describe('findings together: safety first', () => {
  it('bleeding and faded in one region: the gentler pass, and the fill-in waits', () => {
    const proposal = propose(saw('faded', 'bleeding'))!;
    expect(proposal.kind).toBe('gentler-pass');
    expect(proposal.changes.density).toBe(13);
    expect(proposal.reason).toContain('fill it in once the skin has settled');
  });

  it('irritation and faded: the lighter pass wins over the fill-in', () => {
    const proposal = propose(saw('faded', 'irritation'))!;
    expect(proposal.kind).toBe('lighter-pass');
    expect(proposal.changes.density).toBeLessThan(25);
  });

  it('bleeding with irritation and a colour shift: the gentler pass, with all three notes', () => {
    const proposal = propose(saw('bleeding', 'irritation', 'colour-shift'))!;
    expect(proposal.kind).toBe('gentler-pass');
    expect(proposal.changes.note).toBe(
      'Bled at follow-up: fewer, smaller, diluted dots; stay shallow. Irritation at follow-up: lighter pass; check the skin first. Colour shift at follow-up: match the pigment to the healed dots.',
    );
  });

  it('needs laser beats everything, even a faded region below its goal', () => {
    expect(propose(saw('faded', 'bleeding', 'needs-laser'))?.kind).toBe('hold-for-laser');
  });

  it('bleeding on a region at its goal: no work rather than a gentler pass', () => {
    expect(propose(saw('bleeding'), crown, GOAL * 75)?.kind).toBe('goal-reached');
  });
});

describe('scars and limits', () => {
  const scar: PlanRegion = { label: 'Strip', areaCm2: 6, skin: 'scar', density: 15, needles: 1, hue: 'charcoal', note: '', outline: [[0.3, 0.85], [0.7, 0.85], [0.5, 0.88]] };

  it('a bleeding scar region keeps its single needle and gets half its scar density', () => {
    const scarBase = templateRegion('fill-in', 'caucasian', 'scar-strip', 'scar');
    const proposal = proposeRegion('scar-strip', scar, { placed: { dots: 100, areaCm2: 6 }, goalDensity: 40, findings: saw('bleeding') }, scarBase)!;
    expect(proposal.region).toBe('scar-strip');
    expect(proposal.changes.needles).toBeUndefined();
    expect(proposal.changes.density).toBe(Math.round(scarBase.density * BLEEDING_DENSITY_FACTOR));
  });

  it('a fill-in is capped at the 1 mm spacing limit of 100 dots/cm²', () => {
    const proposal = proposeRegion('crown', { ...crown, density: 90 }, { placed: { dots: 60 * 75, areaCm2: 75 }, goalDensity: 300, findings: saw('faded') }, { density: 90, needles: 3 })!;
    expect(proposal.changes.density).toBe(MAX_DENSITY_PER_CM2);
  });

  it('a long hue stays within 40 characters once diluted, and a full note is left as the supervisor wrote it', () => {
    const long = { ...crown, hue: 'x'.repeat(40), note: 'n'.repeat(290) };
    const proposal = propose(saw('bleeding'), long)!;
    expect(proposal.changes.hue).toHaveLength(40);
    expect(proposal.changes.hue).toMatch(/, diluted$/);
    expect(proposal.changes.note).toBeUndefined();
  });

  it('for any plan and findings, the proposed region is still a valid plan region: 1 to 6 needles, 0 to 100 dots/cm²', () => {
    const region = fc.record({
      areaCm2: fc.double({ min: 0.5, max: 200, noNaN: true }),
      skin: fc.constantFrom('normal', 'atrophic', 'scar'),
      density: fc.integer({ min: 0, max: MAX_DENSITY_PER_CM2 }),
      needles: fc.integer({ min: 1, max: MAX_NEEDLES }),
      hue: fc.string({ maxLength: 40 }).map((s) => s.trim()),
      note: fc.string({ maxLength: 300 }).map((s) => s.trim()),
    });
    const findings = fc.array(fc.record({ finding: fc.constantFrom(...FINDINGS), laserCleared: fc.boolean() }), { maxLength: 4 });
    fc.assert(
      fc.property(region, findings, fc.nat(40_000), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 6 }), (r, f, dots, goal, d, n) => {
        const proposal = proposeRegion('crown', r, { placed: { dots, areaCm2: r.areaCm2 }, goalDensity: goal, findings: f }, { density: d, needles: n });
        if (!proposal) return;
        expect(planRegion.safeParse({ ...r, ...proposal.changes }).success).toBe(true);
      }),
    );
  });
});

describe('a plan from the record', () => {
  it('a proposal accepted and saved is not proposed again', () => {
    const findings = { crown: saw('bleeding', 'colour-shift'), hairline: saw('faded'), occipital: saw('irritation') };
    const history = (id: string): RegionHistory => ({ placed: { dots: 1000, areaCm2: 75 }, goalDensity: goals[id]!.density, findings: findings[id as keyof typeof findings] ?? [] });
    const regions = plans[1]!.regions;
    const input = { template: 'fill-in' as const, reference: 'caucasian' as const, regions, history: Object.fromEntries(Object.keys(regions).map((id) => [id, history(id)])) };
    const first = proposePlan(input);
    expect(Object.entries(first).filter(([, p]) => p).map(([id]) => id).sort()).toEqual(['crown', 'hairline', 'occipital']);

    const accepted = Object.fromEntries(Object.entries(regions).map(([id, r]) => [id, { ...r, ...first[id]?.changes }]));
    expect(Object.values(proposePlan({ ...input, regions: accepted })).every((p) => p === null)).toBe(true);
  });

  it('a region with no history keeps its plan', () => {
    const regions = plans[1]!.regions;
    const proposals = proposePlan({ template: 'fill-in', reference: 'caucasian', regions, history: {} });
    expect(Object.values(proposals).every((p) => p === null)).toBe(true);
  });
});
