import { STANDARD_REGIONS, type StandardRegion } from '../protocol/v1.ts';

/**
 * The standard scalp regions on the protocol's normalised top-down map: x = 0 is the patient's
 * left, y = 0 the front hairline side, y = 1 the nape. The head is the circle inscribed in the
 * unit square; the regions tile the square, so every point on the head falls in exactly one.
 */
export interface RegionShape {
  id: StandardRegion;
  label: string;
  /** Outline, clockwise, in normalised coordinates. */
  polygon: ReadonlyArray<readonly [number, number]>;
}

const box = (x0: number, y0: number, x1: number, y1: number): RegionShape['polygon'] => [
  [x0, y0], [x1, y0], [x1, y1], [x0, y1],
];

export const SCALP_REGIONS: readonly RegionShape[] = [
  { id: 'hairline', label: 'Hairline', polygon: box(0.25, 0, 0.75, 0.12) },
  { id: 'frontal', label: 'Frontal', polygon: box(0.25, 0.12, 0.75, 0.35) },
  { id: 'midscalp', label: 'Mid-scalp', polygon: box(0.25, 0.35, 0.75, 0.6) },
  { id: 'crown', label: 'Crown', polygon: box(0.25, 0.6, 0.75, 0.8) },
  { id: 'temporal-left', label: 'Temporal L', polygon: box(0, 0, 0.25, 0.4) },
  { id: 'temporal-right', label: 'Temporal R', polygon: box(0.75, 0, 1, 0.4) },
  { id: 'parietal-left', label: 'Parietal L', polygon: box(0, 0.4, 0.25, 0.8) },
  { id: 'parietal-right', label: 'Parietal R', polygon: box(0.75, 0.4, 1, 0.8) },
  { id: 'occipital', label: 'Occipital', polygon: box(0, 0.8, 1, 1) },
];

if (SCALP_REGIONS.length !== STANDARD_REGIONS.length) throw new Error('every standard region needs a shape');

export function isOnScalp(x: number, y: number): boolean {
  return (x - 0.5) ** 2 + (y - 0.5) ** 2 <= 0.25;
}

/** Even-odd ray casting; points on a shared edge go to the first region listed. */
export function insidePolygon(x: number, y: number, polygon: RegionShape['polygon']): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function regionAt(x: number, y: number): StandardRegion | undefined {
  if (!isOnScalp(x, y)) return undefined;
  return SCALP_REGIONS.find((r) => insidePolygon(x, y, r.polygon))?.id;
}

export function regionShape(id: StandardRegion): RegionShape {
  return SCALP_REGIONS.find((r) => r.id === id)!;
}

export function boundingBox(polygon: RegionShape['polygon']) {
  const xs = polygon.map(([x]) => x);
  const ys = polygon.map(([, y]) => y);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

export function centroid(polygon: RegionShape['polygon']): [number, number] {
  let x = 0;
  let y = 0;
  for (const [px, py] of polygon) {
    x += px;
    y += py;
  }
  return [x / polygon.length, y / polygon.length];
}

/** Shoelace area in map units (the whole square is 1). */
export function polygonArea(polygon: RegionShape['polygon']): number {
  let twice = 0;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    twice += (polygon[j]![0] + polygon[i]![0]) * (polygon[j]![1] - polygon[i]![1]);
  }
  return Math.abs(twice) / 2;
}
