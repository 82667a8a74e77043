import {
  FOLLICULAR_REFERENCES,
  type FollicularReference,
  type PlanRegion,
  type SkinCondition,
  type TemplateId,
} from '../protocol/plan.ts';
import { STANDARD_REGIONS, type StandardRegion } from '../protocol/v1.ts';
import { TEMPLATE_AREA_CM2, TEMPLATE_SCALP_CM2 } from './head-template.ts';

interface Template {
  label: string;
  description: string;
  /** This session's density as a share of the reference full-scalp density. */
  share: number;
  /** The hairline is built up softly at first and detailed last. */
  hairlineFactor: number;
  needles: (region: string, skin: SkinCondition) => number;
  hue: string;
}

const fineEdges = new Set<string>(['hairline', 'temporal-left', 'temporal-right']);

/**
 * Where a clinic starts each session's plan. Over three sessions the shares add up to 80% of the
 * reference density, over four (a second refining pass) 95%: some scalp showing through is the
 * look, a painted scalp is the failure.
 */
export const TEMPLATES: Readonly<Record<TemplateId, Template>> = {
  first: {
    label: 'Cautious first session',
    description: 'A light, even base; soft hairline; diluted pigment to see how the skin takes it.',
    share: 0.35,
    hairlineFactor: 0.6,
    needles: (region, skin) => (skin === 'scar' || fineEdges.has(region) ? 1 : 3),
    hue: 'charcoal, diluted',
  },
  'fill-in': {
    label: 'Fill-in second session',
    description: 'Fills between the first dots; hairline built up; full-strength pigment.',
    share: 0.3,
    hairlineFactor: 0.8,
    needles: (region, skin) => (skin === 'scar' || fineEdges.has(region) ? 1 : 3),
    hue: 'charcoal',
  },
  refine: {
    label: 'Refining third session',
    description: 'Single needle throughout: detail at the hairline and temples, blending scars.',
    share: 0.15,
    hairlineFactor: 1.5,
    needles: () => 1,
    hue: 'matched to the healed dots',
  },
};

/** Scars and thin skin take pigment differently: they get fewer dots. */
const SKIN_FACTOR: Readonly<Record<SkinCondition, number>> = { normal: 1, atrophic: 0.8, scar: 0.6 };

/** Which template a session of a treatment starts from. */
export function templateForSession(sessionNumber: number): TemplateId {
  return sessionNumber === 1 ? 'first' : sessionNumber === 2 ? 'fill-in' : 'refine';
}

/** Dots per cm² on a full scalp of the reference's follicular units. */
export function referenceDensity(reference: FollicularReference): number {
  return FOLLICULAR_REFERENCES[reference].units / TEMPLATE_SCALP_CM2;
}

export function templateRegion(template: TemplateId, reference: FollicularReference, region: string, skin: SkinCondition) {
  const t = TEMPLATES[template];
  const edge = region === 'hairline' ? t.hairlineFactor : 1;
  const density = Math.min(100, Math.round(referenceDensity(reference) * t.share * edge * SKIN_FACTOR[skin]));
  return { density, needles: t.needles(region, skin), hue: t.hue };
}

/**
 * A plan's regions from a template. Given the regions a plan has now, keeps what belongs to the
 * patient (areas, skin, scars, notes) and replaces what belongs to the session (density, needles, hue).
 */
export function applyTemplate(
  template: TemplateId,
  reference: FollicularReference,
  headScale: number,
  current: Readonly<Record<string, PlanRegion>> = {},
): Record<string, PlanRegion> {
  const regions: Record<string, PlanRegion> = {};
  for (const id of STANDARD_REGIONS) {
    const kept = current[id];
    const skin = kept?.skin ?? 'normal';
    regions[id] = {
      ...kept,
      areaCm2: kept?.areaCm2 ?? standardArea(id, headScale),
      skin,
      note: kept?.note ?? '',
      ...templateRegion(template, reference, id, skin),
    };
  }
  for (const [id, kept] of Object.entries(current)) {
    if (id.startsWith('scar-')) regions[id] = { ...kept, ...templateRegion(template, reference, id, kept.skin) };
  }
  return regions;
}

export function standardArea(region: StandardRegion, headScale: number): number {
  return Math.round(TEMPLATE_AREA_CM2[region] * headScale * 10) / 10;
}
