import { describe, expect, it } from 'vitest';
import type { PlanRegion } from '../protocol/plan.ts';
import { planTotals, regionTargets, stippledAreas } from './plan-math.ts';

const region = (areaCm2: number, density: number, outline?: PlanRegion['outline']) => ({ areaCm2, density, outline });
const strip: PlanRegion['outline'] = [[0.3, 0.86], [0.7, 0.86], [0.7, 0.9], [0.3, 0.9]];

describe('the area a plan stipples', () => {
  it('a scar\'s area is taken from the standard region under its middle, so the plan counts it once', () => {
    const regions = { occipital: region(120, 20), crown: region(75, 20), 'scar-strip': region(8, 10, strip) };
    expect(stippledAreas(regions)).toEqual({ occipital: 112, crown: 75, 'scar-strip': 8 });
    expect(regionTargets(regions)).toEqual({ occipital: 2240, crown: 1500, 'scar-strip': 80 });
    expect(planTotals(regions)).toMatchObject({ areaCm2: 195, dots: 3820 });
  });

  it('a scar bigger than the region it lies on leaves that region nothing, never a negative area', () => {
    expect(stippledAreas({ occipital: region(5, 20), 'scar-strip': region(8, 10, strip) }).occipital).toBe(0);
  });
});
