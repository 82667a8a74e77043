import { describe, expect, it } from 'vitest';
import {
  FOLLICULAR_REFERENCES,
  MAX_DENSITY_PER_CM2,
  planBody,
  SKIN_CONDITIONS,
  TEMPLATE_IDS,
  type FollicularReference,
  type PlanRegion,
} from '../protocol/plan.ts';
import { STANDARD_REGIONS } from '../protocol/v1.ts';
import { TEMPLATE_AREA_CM2, TEMPLATE_SCALP_CM2 } from './head-template.ts';
import { DOTS_PER_HOUR, planTotals, targetDots } from './plan-math.ts';
import { applyTemplate, referenceDensity, standardArea, templateForSession, templateRegion, TEMPLATES } from './templates.ts';

const REFERENCES = Object.keys(FOLLICULAR_REFERENCES) as FollicularReference[];
const REGIONS = [...STANDARD_REGIONS, 'scar-strip'];

describe('the standard head', () => {
  it('has about 600 cm² of scalp, split over the nine standard regions', () => {
    expect(Object.keys(TEMPLATE_AREA_CM2).sort()).toEqual([...STANDARD_REGIONS].sort());
    expect(TEMPLATE_SCALP_CM2).toBe(600);
  });

  it('areas scale with the head, to a tenth of a cm²', () => {
    expect(standardArea('crown', 1)).toBe(75);
    expect(standardArea('midscalp', 1.15)).toBe(115);
    expect(standardArea('hairline', 0.85)).toBe(25.5);
    expect(standardArea('occipital', 0.6)).toBe(72);
  });
});

describe('session templates', () => {
  it.each(TEMPLATE_IDS.flatMap((t) => REFERENCES.map((r) => [t, r] as const)))(
    '%s on a %s reference: every region and skin gets a density of 0–100 dots/cm² and 1–6 whole needles',
    (template, reference) => {
      for (const region of REGIONS) {
        for (const skin of SKIN_CONDITIONS) {
          const { density, needles } = templateRegion(template, reference, region, skin);
          expect(density, `${region} ${skin}`).toBeGreaterThanOrEqual(0);
          expect(density, `${region} ${skin}`).toBeLessThanOrEqual(MAX_DENSITY_PER_CM2);
          expect(Number.isInteger(needles)).toBe(true);
          expect(needles).toBeGreaterThanOrEqual(1);
          expect(needles).toBeLessThanOrEqual(6);
        }
      }
    },
  );

  it('the shares of a four-session treatment together stay below the reference: some scalp shows, no painted scalp', () => {
    const sessions = [1, 2, 3, 4].map(templateForSession);
    expect(sessions.reduce((sum, t) => sum + TEMPLATES[t].share, 0)).toBeLessThan(1);
    for (const reference of REFERENCES) {
      for (const region of REGIONS) {
        for (const skin of SKIN_CONDITIONS) {
          const total = sessions.reduce((sum, t) => sum + templateRegion(t, reference, region, skin).density, 0);
          expect(total, `${reference} ${region} ${skin}`).toBeLessThan(referenceDensity(reference));
        }
      }
    }
  });

  it('four template sessions on a template head place fewer dots than the reference\'s follicular units', () => {
    for (const reference of REFERENCES) {
      const dots = [1, 2, 3, 4].map(templateForSession).reduce((sum, t) => sum + planTotals(applyTemplate(t, reference, 1)).dots, 0);
      expect(dots).toBeLessThan(FOLLICULAR_REFERENCES[reference].units);
      expect(dots).toBeGreaterThan(0.5 * FOLLICULAR_REFERENCES[reference].units);
    }
  });

  it('sessions 1, 2 and 3 (and any later) start from first, fill-in and refine', () => {
    expect([1, 2, 3, 4].map(templateForSession)).toEqual(['first', 'fill-in', 'refine', 'refine']);
  });

  it('scar and thin skin get fewer dots than normal skin; scars and fine edges a single needle', () => {
    for (const template of TEMPLATE_IDS) {
      const normal = templateRegion(template, 'caucasian', 'crown', 'normal');
      const atrophic = templateRegion(template, 'caucasian', 'crown', 'atrophic');
      const scar = templateRegion(template, 'caucasian', 'crown', 'scar');
      expect(atrophic.density).toBeLessThan(normal.density);
      expect(scar.density).toBeLessThan(atrophic.density);
      expect(scar.needles).toBe(1);
      expect(templateRegion(template, 'caucasian', 'hairline', 'normal').needles).toBe(1);
    }
    expect(templateRegion('first', 'caucasian', 'crown', 'normal').needles).toBe(3);
  });

  it('a template plan for any head passes the plan schema', () => {
    for (const template of TEMPLATE_IDS) {
      for (const reference of REFERENCES) {
        for (const headScale of [0.6, 1, 1.5]) {
          expect(planBody.safeParse({ template, regions: applyTemplate(template, reference, headScale) }).success).toBe(true);
        }
      }
    }
  });
});

describe('applying a template to a plan', () => {
  it('without a plan yet: the standard head scaled, normal skin, no notes', () => {
    const regions = applyTemplate('first', 'caucasian', 1.15);
    expect(Object.keys(regions).sort()).toEqual([...STANDARD_REGIONS].sort());
    expect(regions.crown).toEqual({
      areaCm2: standardArea('crown', 1.15), skin: 'normal', note: '',
      ...templateRegion('first', 'caucasian', 'crown', 'normal'),
    });
    expect(regions.midscalp!.areaCm2).toBe(115);
  });

  it('keeps what belongs to the patient (areas, skin, scars with outline and label, notes) and replaces density, needles and hue', () => {
    const current = applyTemplate('first', 'caucasian', 1);
    current.crown = { ...current.crown!, areaCm2: 91.5, skin: 'atrophic', note: 'thin at the whorl', density: 12, needles: 5, hue: 'custom' };
    const scar: PlanRegion = {
      label: 'Strip scar', areaCm2: 6, skin: 'scar', density: 70, needles: 4, hue: 'custom', note: 'raised at the left end',
      outline: [[0.3, 0.85], [0.7, 0.85], [0.7, 0.88], [0.3, 0.88]],
    };
    current['scar-strip'] = scar;

    const next = applyTemplate('refine', 'asian', 1.3, current);
    expect(next.crown).toEqual({
      areaCm2: 91.5, skin: 'atrophic', note: 'thin at the whorl',
      ...templateRegion('refine', 'asian', 'crown', 'atrophic'),
    });
    expect(next['scar-strip']).toEqual({
      label: 'Strip scar', areaCm2: 6, skin: 'scar', note: 'raised at the left end', outline: scar.outline,
      ...templateRegion('refine', 'asian', 'scar-strip', 'scar'),
    });
    // Areas already in the plan stay, whatever head scale is passed now.
    expect(next.occipital!.areaCm2).toBe(120);
    expect(next.crown!.needles).toBe(1);
    expect(next.crown!.hue).toBe(TEMPLATES.refine.hue);
  });
});

describe('plan totals', () => {
  it('a region\'s target is its area times density, rounded to whole dots', () => {
    expect(targetDots({ areaCm2: 75, density: 33 })).toBe(2475);
    expect(targetDots({ areaCm2: 0.5, density: 3 })).toBe(2);
    expect(targetDots({ areaCm2: 120, density: 0 })).toBe(0);
  });

  it('totals add the regions\' dots and areas and estimate the hours at a steady pace', () => {
    const totals = planTotals({ a: { areaCm2: 10, density: 50 }, b: { areaCm2: 20.5, density: 100 } });
    expect(totals).toEqual({ dots: 2550, areaCm2: 30.5, hours: 2550 / DOTS_PER_HOUR });
  });
});
