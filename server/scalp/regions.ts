import { STANDARD_REGIONS, type StandardRegion } from '../protocol/v1.ts';

/**
 * The standard scalp regions on the protocol's normalised top-down map: x = 0 is the patient's
 * left, y = 0 the front hairline side, y = 1 the nape, the vertex at (0.5, 0.5). The map is the
 * scalp seen from above as a practitioner's head chart draws it: distance from the vertex on the
 * map is angle over the head (server/scalp/views.ts turns it into the back and side views).
 *
 * Regions are curved zones of a real head, defined in polar terms about the vertex: `rho` from 0
 * at the vertex to 1 at the map's rim, `alpha` in degrees from the front (0) towards the patient's
 * right (90), the back at ±180. `regionAt` decides every point by the same rules the outlines are
 * drawn from, so every point of the scalp belongs to exactly one region.
 */
export interface RegionShape {
  id: StandardRegion;
  label: string;
  /** Outline in normalised coordinates. */
  polygon: ReadonlyArray<readonly [number, number]>;
}

type Polygon = RegionShape['polygon'];

/** Where the hairline band ends, either side of the front. */
const HAIRLINE_SIDE = 52;
/** Where the temporal points end towards the back. */
const TEMPORAL_BACK = 106;
/** Where the parietal sides meet the occipital band. */
const PARIETAL_BACK = 134;
const HAIRLINE_DEPTH = 0.12;
const FRONTAL_INNER = 0.46;
const PARIETAL_INNER = 0.5;
/** The vertex whorl sits a little behind the top of the head; the crown is the round zone about it. */
const WHORL_BEHIND = 0.12;
const CROWN_RADIUS = 0.31;

/**
 * The scalp's edge: the map's rim, drawn in where the hairline recedes at the temples (the
 * frontotemporal angles of a mature hairline).
 */
export function scalpEdge(alpha: number): number {
  return 1 - 0.09 * Math.exp(-(((Math.abs(alpha) - 38) / 13) ** 2));
}

/** The crown's edge along `alpha`: a circle about the whorl, seen from the vertex. */
function crownEdge(alpha: number): number {
  const along = -WHORL_BEHIND * Math.cos((alpha * Math.PI) / 180);
  return along + Math.sqrt(along * along - WHORL_BEHIND ** 2 + CROWN_RADIUS ** 2);
}

/** The temporal point's inner edge: wide by the hairline, narrowing to the back. */
function temporalInner(alpha: number): number {
  const t = (Math.abs(alpha) - HAIRLINE_SIDE) / (TEMPORAL_BACK - HAIRLINE_SIDE);
  return 0.55 + 0.33 * t;
}

const hairlineInner = (alpha: number) => scalpEdge(alpha) - HAIRLINE_DEPTH;

export function toPolar(x: number, y: number): { rho: number; alpha: number } {
  const dx = x - 0.5;
  const dy = y - 0.5;
  return { rho: 2 * Math.hypot(dx, dy), alpha: (Math.atan2(dx, -dy) * 180) / Math.PI };
}

export function fromPolar(rho: number, alpha: number): [number, number] {
  const a = (alpha * Math.PI) / 180;
  return [0.5 + (rho / 2) * Math.sin(a), 0.5 - (rho / 2) * Math.cos(a)];
}

export function isOnScalp(x: number, y: number): boolean {
  const { rho, alpha } = toPolar(x, y);
  return rho <= scalpEdge(alpha);
}

export function regionAt(x: number, y: number): StandardRegion | undefined {
  const { rho, alpha } = toPolar(x, y);
  if (rho > scalpEdge(alpha)) return undefined;
  if (rho <= crownEdge(alpha)) return 'crown';
  const side = Math.abs(alpha);
  const right = alpha > 0;
  if (side <= HAIRLINE_SIDE) return rho >= hairlineInner(alpha) ? 'hairline' : rho >= FRONTAL_INNER ? 'frontal' : 'midscalp';
  if (side > PARIETAL_BACK) return 'occipital';
  if (side <= TEMPORAL_BACK && rho >= temporalInner(alpha)) return right ? 'temporal-right' : 'temporal-left';
  if (rho >= PARIETAL_INNER) return right ? 'parietal-right' : 'parietal-left';
  return 'midscalp';
}

/** Angles from `a0` to `a1`, every 2° on a common grid, so that neighbours share their vertices. */
function angles(a0: number, a1: number): number[] {
  const out = [a0];
  for (let a = Math.floor(a0 / 2) * 2 + 2; a < a1; a += 2) out.push(a);
  out.push(a1);
  return out;
}

/** The zone between two edges over a range of angles: along the outer edge, back along the inner. */
function band(a0: number, a1: number, inner: (alpha: number) => number, outer: (alpha: number) => number): Polygon {
  const along = angles(a0, a1);
  return [...along.map((a) => fromPolar(outer(a), a)), ...along.reverse().map((a) => fromPolar(inner(a), a))];
}

/** The mirror image across the front-to-back line: the patient's left from their right. */
const mirror = (polygon: Polygon): Polygon => polygon.map(([x, y]) => [1 - x, y] as const).reverse();

const temporalRight = band(HAIRLINE_SIDE, TEMPORAL_BACK, temporalInner, scalpEdge);
/** Along the temporal point's inner edge, then (behind it) the scalp's edge, and back along the inner edge. */
const parietalRight: Polygon = [
  ...angles(HAIRLINE_SIDE, TEMPORAL_BACK).map((a) => fromPolar(temporalInner(a), a)),
  ...angles(TEMPORAL_BACK, PARIETAL_BACK).map((a) => fromPolar(scalpEdge(a), a)),
  ...angles(HAIRLINE_SIDE, PARIETAL_BACK).reverse().map((a) => fromPolar(PARIETAL_INNER, a)),
];
const midscalp: Polygon = [
  ...angles(-PARIETAL_BACK, PARIETAL_BACK).map((a) => fromPolar(Math.abs(a) <= HAIRLINE_SIDE ? FRONTAL_INNER : PARIETAL_INNER, a)),
  ...angles(-PARIETAL_BACK, PARIETAL_BACK).reverse().map((a) => fromPolar(crownEdge(a), a)),
];

export const SCALP_REGIONS: readonly RegionShape[] = [
  { id: 'hairline', label: 'Hairline', polygon: band(-HAIRLINE_SIDE, HAIRLINE_SIDE, hairlineInner, scalpEdge) },
  { id: 'frontal', label: 'Frontal', polygon: band(-HAIRLINE_SIDE, HAIRLINE_SIDE, () => FRONTAL_INNER, hairlineInner) },
  { id: 'midscalp', label: 'Mid-scalp', polygon: midscalp },
  { id: 'crown', label: 'Crown', polygon: angles(-180, 180).map((a) => fromPolar(crownEdge(a), a)) },
  { id: 'temporal-left', label: 'Temporal L', polygon: mirror(temporalRight) },
  { id: 'temporal-right', label: 'Temporal R', polygon: temporalRight },
  { id: 'parietal-left', label: 'Parietal L', polygon: mirror(parietalRight) },
  { id: 'parietal-right', label: 'Parietal R', polygon: parietalRight },
  { id: 'occipital', label: 'Occipital', polygon: band(PARIETAL_BACK, 360 - PARIETAL_BACK, crownEdge, scalpEdge) },
];

if (SCALP_REGIONS.length !== STANDARD_REGIONS.length) throw new Error('every standard region needs a shape');

/** The scalp's outline on the map, for drawing the head. */
export const SCALP_OUTLINE: Polygon = angles(-180, 180).map((a) => fromPolar(scalpEdge(a), a));

/** Even-odd ray casting. */
export function insidePolygon(x: number, y: number, polygon: Polygon): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function regionShape(id: StandardRegion): RegionShape {
  return SCALP_REGIONS.find((r) => r.id === id)!;
}

export function boundingBox(polygon: Polygon) {
  const xs = polygon.map(([x]) => x);
  const ys = polygon.map(([, y]) => y);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

export function centroid(polygon: Polygon): [number, number] {
  let x = 0;
  let y = 0;
  for (const [px, py] of polygon) {
    x += px;
    y += py;
  }
  return [x / polygon.length, y / polygon.length];
}

/** Shoelace area in map units (the whole square is 1). */
export function polygonArea(polygon: Polygon): number {
  let twice = 0;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    twice += (polygon[j]![0] + polygon[i]![0]) * (polygon[j]![1] - polygon[i]![1]);
  }
  return Math.abs(twice) / 2;
}
