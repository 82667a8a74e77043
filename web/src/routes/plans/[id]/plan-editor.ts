import { TEMPLATE_SCALP_CM2 } from '$plans/head-template';
import { DOTS_PER_HOUR, planTotals } from '$plans/plan-math';
import type { PlanRegion } from '$protocol/plan';
import { STANDARD_REGIONS } from '$protocol/v1';
import { SCALP_REGIONS } from '$scalp/regions';

/** Pure helpers of the plan editor: names, order, error routing, totals. */

export const isScar = (id: string): boolean => id.startsWith('scar-');

const STANDARD_LABELS: ReadonlyMap<string, string> = new Map(SCALP_REGIONS.map((r) => [r.id, r.label]));

/** A region's name as the map shows it: the standard label, or the scar's own. */
export function regionLabel(id: string, region: Pick<PlanRegion, 'label'> | undefined): string {
  return STANDARD_LABELS.get(id) ?? (region?.label || id.slice('scar-'.length));
}

/** Standard regions front to back as the map lists them, then scars: the table's order and the order errors are revealed in. */
export function regionOrder(regions: Readonly<Record<string, unknown>>): string[] {
  const standard = SCALP_REGIONS.map((r) => r.id as string).filter((id) => id in regions);
  const others = Object.keys(regions).filter((id) => !STANDARD_LABELS.has(id)).sort();
  return [...standard, ...others];
}

/** "Strip scar" → "strip-scar": the protocol's scar ids are lower-case letters, digits and dashes. */
export function scarSlug(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
}

/** scar-<slug>, with -2, -3… when the plan has that scar already; null when the label has nothing to slug. */
export function newScarId(label: string, taken: readonly string[]): string | null {
  const slug = scarSlug(label);
  if (!slug) return null;
  let id = `scar-${slug}`;
  for (let n = 2; taken.includes(id); n++) id = `scar-${slug}-${n}`;
  return id;
}

/** The fields as the editor labels them, for messages shown away from their input. */
export const FIELD_LABEL: Readonly<Record<string, string>> = {
  label: 'Scar name',
  areaCm2: 'Area',
  skin: 'Skin',
  density: 'Density',
  needles: 'Needles',
  hue: 'Pigment hue',
  note: 'Note',
  outline: 'Outline',
};

/** Server messages per region and field ('' for the region as a whole), and the ones about no region. */
export interface PlanErrors {
  byRegion: Record<string, Record<string, string>>;
  other: Array<[key: string, message: string]>;
}

/**
 * Routes the API's field messages (`regions.crown.density`, `regions.scar-strip.outline.3.0`,
 * `template`) to the region and field they name, so each shows beside its input.
 */
export function groupErrors(fields: Readonly<Record<string, string>>, regionIds: readonly string[]): PlanErrors {
  const errors: PlanErrors = { byRegion: {}, other: [] };
  for (const [key, message] of Object.entries(fields)) {
    const [head, region, field = ''] = key.split('.');
    if (head === 'regions' && region && regionIds.includes(region)) {
      const mine = (errors.byRegion[region] ??= {});
      mine[field] ??= message;
    } else errors.other.push([key, message]);
  }
  return errors;
}

/** Totals over the regions whose numbers are filled in; a field being retyped (NaN) counts as nothing yet. */
export function totalsOf(regions: Readonly<Record<string, PlanRegion>>) {
  const filled = Object.fromEntries(Object.entries(regions).filter(([, r]) => Number.isFinite(r.areaCm2) && Number.isFinite(r.density)));
  return planTotals(filled);
}

/** "4 h 30 min", to the nearest 5 minutes: it is an estimate at {@link DOTS_PER_HOUR} dots an hour, not a schedule. */
export function sessionLength(hours: number): string {
  const minutes = Math.round((hours * 60) / 5) * 5;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

export { DOTS_PER_HOUR };

/** The standard regions' areas add up to the head size they were scaled for (the PUT carries no head size). */
export function effectiveHeadScale(regions: Readonly<Record<string, PlanRegion>>, fallback: number): number {
  const total = STANDARD_REGIONS.reduce((sum, id) => sum + (regions[id]?.areaCm2 ?? 0), 0);
  const scale = Math.round((total / TEMPLATE_SCALP_CM2) * 100) / 100;
  return Number.isFinite(scale) && scale >= 0.6 && scale <= 1.5 ? scale : fallback;
}

export const dots = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '—');
