import { describe, expect, it } from 'vitest';
import { applyTemplate } from '../plans/templates.ts';
import { newTreatmentBody, planBody, type PlanRegion } from './plan.ts';
import { STANDARD_REGIONS } from './v1.ts';

const strip: PlanRegion = {
  label: 'Strip scar', areaCm2: 6, skin: 'scar', density: 30, needles: 1, hue: 'charcoal', note: '',
  outline: [[0.3, 0.85], [0.7, 0.85], [0.7, 0.88], [0.3, 0.88]],
};

/** A valid plan (the first-session template) with a strip scar, changed by `edit`. */
function plan(edit: (regions: Record<string, unknown>) => void = () => {}) {
  const regions: Record<string, unknown> = { ...applyTemplate('first', 'caucasian', 1), 'scar-strip': { ...strip } };
  edit(regions);
  return { template: 'first', regions };
}

/** The field messages of a refused plan, keyed by path as the API reports them. */
function refusals(body: unknown): Record<string, string> {
  const result = planBody.safeParse(body);
  expect(result.success).toBe(false);
  const fields: Record<string, string> = {};
  for (const issue of result.error!.issues) fields[issue.path.join('.')] ??= issue.message;
  return fields;
}

const region = (regions: Record<string, unknown>, id: string) => regions[id] as Record<string, unknown>;

describe('the plan schema', () => {
  it('accepts a valid plan with a scar and fills hue and note defaults', () => {
    const body = plan((r) => {
      const { hue: _hue, note: _note, ...bare } = region(r, 'crown');
      r.crown = bare;
    });
    const parsed = planBody.parse(body);
    expect(parsed.regions['scar-strip']).toEqual(strip);
    expect(parsed.regions.crown).toMatchObject({ hue: '', note: '' });
    expect(planBody.parse({ regions: body.regions }).template).toBeNull();
  });

  it('refuses a density of 140 dots/cm² at regions.<id>.density, saying why', () => {
    expect(refusals(plan((r) => (region(r, 'crown').density = 140)))).toEqual({
      'regions.crown.density': 'above 100 dots/cm², closer than 1 mm dot spacing allows',
    });
  });

  it('allows exactly 100 dots/cm² and 0 (a region left out), not a negative density', () => {
    expect(planBody.safeParse(plan((r) => (region(r, 'crown').density = 100))).success).toBe(true);
    expect(planBody.safeParse(plan((r) => (region(r, 'crown').density = 0))).success).toBe(true);
    expect(refusals(plan((r) => (region(r, 'crown').density = -1)))).toEqual({ 'regions.crown.density': 'a density cannot be negative' });
  });

  it.each([
    [7, 'needles: 1 to 6'],
    [0, 'needles: 1 to 6'],
    [2.5, 'a whole number of needles'],
  ])('refuses %s needles at regions.<id>.needles', (needles, message) => {
    expect(refusals(plan((r) => (region(r, 'midscalp').needles = needles)))).toEqual({ 'regions.midscalp.needles': message });
  });

  it('accepts 1 and 6 needles', () => {
    for (const needles of [1, 6]) expect(planBody.safeParse(plan((r) => (region(r, 'midscalp').needles = needles))).success).toBe(true);
  });

  it('refuses a scar outline that goes outside the scalp circle', () => {
    const outside = plan((r) => (region(r, 'scar-strip').outline = [[0.3, 0.85], [0.7, 0.85], [0.98, 0.98], [0.3, 0.88]]));
    expect(refusals(outside)).toEqual({ 'regions.scar-strip.outline': 'the scar outline goes outside the scalp' });
  });

  it('refuses a scar without an outline, and a standard region with one', () => {
    expect(refusals(plan((r) => delete region(r, 'scar-strip').outline))).toEqual({
      'regions.scar-strip.outline': 'a scar region needs its outline on the map',
    });
    expect(refusals(plan((r) => (region(r, 'crown').outline = strip.outline)))).toEqual({
      'regions.crown.outline': 'standard regions have a fixed outline',
    });
  });

  it('refuses an outline of fewer than 3 points', () => {
    expect(refusals(plan((r) => (region(r, 'scar-strip').outline = [[0.4, 0.5], [0.5, 0.5]])))).toEqual({
      'regions.scar-strip.outline': 'an outline needs at least 3 points',
    });
  });

  it('refuses a region missing its area, and an area of 0', () => {
    expect(refusals(plan((r) => delete region(r, 'frontal').areaCm2))).toEqual({ 'regions.frontal.areaCm2': 'the area is missing' });
    expect(refusals(plan((r) => (region(r, 'frontal').areaCm2 = 0)))).toEqual({ 'regions.frontal.areaCm2': 'the area must be above 0 cm²' });
    expect(refusals(plan((r) => (region(r, 'frontal').areaCm2 = '40')))).toEqual({ 'regions.frontal.areaCm2': 'the area must be a number' });
  });

  it.each(STANDARD_REGIONS)('refuses a plan without the %s region, saying density 0 leaves it out', (id) => {
    expect(refusals(plan((r) => delete r[id]))).toEqual({ [`regions.${id}`]: `the plan needs the ${id} region (density 0 to leave it out)` });
  });

  it('refuses a region id that is neither standard nor scar-<slug>', () => {
    const fields = refusals(plan((r) => (r.nape = { ...strip, outline: undefined })));
    expect(fields).toEqual({ 'regions.nape': 'nape is not a region: use a standard one or scar-<slug>' });
  });

  it('refuses an unknown skin condition at its field', () => {
    expect(refusals(plan((r) => (region(r, 'crown').skin = 'oily')))).toEqual({ 'regions.crown.skin': 'skin is normal, atrophic or scar' });
  });
});

describe('a new treatment', () => {
  it('has 2 to 4 sessions', () => {
    for (const sessions of [1, 5, 2.5]) expect(newTreatmentBody.safeParse({ patientRef: 'P-1', sessions }).success).toBe(false);
    for (const sessions of [2, 3, 4]) expect(newTreatmentBody.safeParse({ patientRef: 'P-1', sessions }).success).toBe(true);
  });

  it('defaults to the template head size and the Caucasian reference', () => {
    expect(newTreatmentBody.parse({ patientRef: 'P-1', sessions: 3 })).toEqual({ patientRef: 'P-1', sessions: 3, headScale: 1, reference: 'caucasian' });
  });

  it('refuses a head scale outside 0.6–1.5 and a patient name instead of a code', () => {
    expect(newTreatmentBody.safeParse({ patientRef: 'P-1', sessions: 3, headScale: 2 }).success).toBe(false);
    expect(newTreatmentBody.safeParse({ patientRef: 'Jane Doe', sessions: 3 }).success).toBe(false);
  });
});
