import type { StandardRegion } from '../protocol/v1.ts';

/**
 * The standard head: scalp area per region in cm² for a medium adult head, about 600 cm² in all.
 * A patient's plan starts from these scaled by head size; the clinic edits them from there.
 */
export const TEMPLATE_AREA_CM2: Readonly<Record<StandardRegion, number>> = {
  hairline: 30,
  frontal: 85,
  midscalp: 100,
  crown: 75,
  'temporal-left': 35,
  'temporal-right': 35,
  'parietal-left': 60,
  'parietal-right': 60,
  occipital: 120,
};

export const TEMPLATE_SCALP_CM2 = Object.values(TEMPLATE_AREA_CM2).reduce((sum, a) => sum + a, 0);

/** Head sizes the editor offers as presets of the area scale. */
export const HEAD_SIZES = [
  { label: 'Small', scale: 0.85 },
  { label: 'Medium', scale: 1 },
  { label: 'Large', scale: 1.15 },
] as const;
