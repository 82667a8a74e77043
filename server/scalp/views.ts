import { fromPolar, insidePolygon, toPolar } from './regions.ts';

/**
 * The head as a sphere, and the views a practitioner's head chart draws: from above (the
 * protocol's map itself), from behind (the occipital band and the nape, where donor-strip scars
 * lie) and from either side (the temporal points and the parietal sides). Pure geometry.
 *
 * The map is an azimuthal projection about the vertex: a point's distance from the map's centre
 * is its angle over the head, the rim (rho 1) lying SCALP_ANGLE below the vertex, past the
 * widest part of the head, so the back and sides that the map squeezes into its rim open up in
 * the other views.
 */
const SCALP_ANGLE_DEG = 112;
const SCALP_ANGLE = (SCALP_ANGLE_DEG * Math.PI) / 180;

export const VIEWS = ['top', 'back', 'left', 'right'] as const;
export type ScalpView = (typeof VIEWS)[number];

export const VIEW_LABEL: Readonly<Record<ScalpView, string>> = { top: 'Top', back: 'Back', left: 'Left side', right: 'Right side' };

/** A point on the unit sphere: x to the patient's right, y to the back, z up. */
export type Point3 = readonly [number, number, number];

/** How tall each view's frame is, its width being 1: the side and back views end at the scalp's lowest edge. */
export const VIEW_HEIGHT: Readonly<Record<ScalpView, number>> = {
  top: 1,
  back: (1 - Math.cos(SCALP_ANGLE)) / 2,
  left: (1 - Math.cos(SCALP_ANGLE)) / 2,
  right: (1 - Math.cos(SCALP_ANGLE)) / 2,
};

export function toSphere(x: number, y: number): Point3 {
  const { rho, alpha } = toPolar(x, y);
  const theta = rho * SCALP_ANGLE;
  const a = (alpha * Math.PI) / 180;
  return [Math.sin(theta) * Math.sin(a), -Math.sin(theta) * Math.cos(a), Math.cos(theta)];
}

export function fromSphere([px, py, pz]: Point3): [number, number] {
  const theta = Math.acos(Math.max(-1, Math.min(1, pz)));
  const alpha = (Math.atan2(px, -py) * 180) / Math.PI;
  return fromPolar(theta / SCALP_ANGLE, alpha);
}

/** How far a point faces the viewer of `view` (positive: seen). */
function facing(view: Exclude<ScalpView, 'top'>, [px, py]: Point3): number {
  return view === 'back' ? py : view === 'left' ? -px : px;
}

/** Where a point of the head lies in a side or back view: across (0 to 1) and down from the top of the head. */
function project(view: Exclude<ScalpView, 'top'>, [px, py, pz]: Point3): [number, number] {
  // From behind, the patient's right is on the viewer's right; from the patient's left side, their
  // face is on the viewer's left; from their right side, on the viewer's right.
  const across = view === 'back' ? px : view === 'left' ? py : -py;
  return [(1 + across) / 2, (1 - pz) / 2];
}

/** Where the map point (x, y) shows in `view`, or null when it is on the far side of the head. */
export function toView(view: ScalpView, x: number, y: number): [number, number] | null {
  if (view === 'top') return [x, y];
  const point = toSphere(x, y);
  return facing(view, point) > 0 ? project(view, point) : null;
}

/** The map point seen at (u, v) in `view`, or null when (u, v) is off the head. */
export function fromView(view: ScalpView, u: number, v: number): [number, number] | null {
  if (view === 'top') return [u, v];
  const across = 2 * u - 1;
  const pz = 1 - 2 * v;
  const depth = 1 - across * across - pz * pz;
  if (depth < 0 || pz < Math.cos(SCALP_ANGLE)) return null;
  const toward = Math.sqrt(depth);
  const point: Point3 =
    view === 'back' ? [across, toward, pz] : view === 'left' ? [-toward, across, pz] : [toward, -across, pz];
  return fromSphere(point);
}

/**
 * A map outline as `view` shows it: the part on the near side of the head. Where the outline
 * turns away, the cut runs along the head's silhouette, round the side the region lies on (a
 * region over the vertex is cut over the top of the head, not across its bottom). Empty when
 * none of it shows.
 */
export function outlineInView(view: ScalpView, outline: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  if (view === 'top') return outline.map(([x, y]) => [x, y]);
  const points = densify(outline.map(([x, y]) => toSphere(x, y)));
  const kept: Point3[] = [];
  /** Positions in `kept` of the points where the outline leaves the near side. */
  const exits = new Set<number>();
  for (let i = 0; i < points.length; i++) {
    const a = points[i]!;
    const b = points[(i + 1) % points.length]!;
    const [fa, fb] = [facing(view, a), facing(view, b)];
    if (fa >= 0) kept.push(a);
    if (fa >= 0 !== fb >= 0) {
      const t = fa / (fa - fb);
      if (fa >= 0) exits.add(kept.length);
      kept.push(normalise([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2])]));
    }
  }
  const inside = (p: Point3) => {
    const [x, y] = fromSphere(p);
    return insidePolygon(x, y, outline);
  };
  const out: Point3[] = [];
  kept.forEach((p, k) => {
    out.push(p);
    if (exits.has(k)) out.push(...silhouetteArc(p, kept[(k + 1) % kept.length]!, inside));
  });
  return out.map((p) => project(view, p));
}

/**
 * The points between `from` and `to`, both on the silhouette, along the silhouette's great circle
 * the way that runs inside the region: the short way round, or the long way through its opposite.
 */
function silhouetteArc(from: Point3, to: Point3, inside: (p: Point3) => boolean): Point3[] {
  const mid = normalise([from[0] + to[0], from[1] + to[1], from[2] + to[2]]);
  const opposite: Point3 = [-mid[0], -mid[1], -mid[2]];
  // Neither way inside: the region shows in two pieces, joined along the silhouette there and back.
  return inside(mid) || !inside(opposite) ? arc(from, to) : [...arc(from, opposite), opposite, ...arc(opposite, to)];
}

/** Points strictly between `a` and `b` along the short great-circle arc, about 3° apart. */
function arc(a: Point3, b: Point3): Point3[] {
  const steps = Math.ceil(Math.acos(Math.max(-1, Math.min(1, a[0] * b[0] + a[1] * b[1] + a[2] * b[2]))) / 0.05);
  return Array.from({ length: Math.max(0, steps - 1) }, (_, s) => {
    const t = (s + 1) / steps;
    return normalise([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2])]);
  });
}

/** The head's radius in cm for a scalp of `scalpCm2`: the scalp is the cap down to SCALP_ANGLE. */
export function headRadiusCm(scalpCm2: number): number {
  return Math.sqrt(scalpCm2 / (2 * Math.PI * (1 - Math.cos(SCALP_ANGLE))));
}

/** An ellipse drawn on the head's surface, as the supervisor measures a scar: centre, size in cm, angle. */
export interface SurfaceEllipse {
  centre: readonly [number, number];
  lengthCm: number;
  widthCm: number;
  /** 0° runs across the head (left to right), 90° along it from front to back. */
  angleDeg: number;
}

/**
 * The directions on the head at a map point, as the map turns them: `across` where the map's x
 * runs (the patient's right), `along` where its y runs (towards the back), square to each other.
 */
function surfaceAxes(x: number, y: number): { across: Point3; along: Point3 } {
  const e = 1e-5;
  const [a, b] = [toSphere(x + e, y), toSphere(x - e, y)];
  const across = normalise([a[0] - b[0], a[1] - b[1], a[2] - b[2]]);
  const [c, d] = [toSphere(x, y + e), toSphere(x, y - e)];
  const raw: Point3 = [c[0] - d[0], c[1] - d[1], c[2] - d[2]];
  const k = dot(raw, across);
  return { across, along: normalise([raw[0] - k * across[0], raw[1] - k * across[1], raw[2] - k * across[2]]) };
}

const dot = (a: Point3, b: Point3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** The ellipse's outline on the map, `points` points round, laid on the head's surface (so it keeps its size in every view). */
export function surfaceEllipse(shape: SurfaceEllipse, radiusCm: number, points = 12): Array<[number, number]> {
  const centre = toSphere(shape.centre[0], shape.centre[1]);
  const { across, along } = surfaceAxes(shape.centre[0], shape.centre[1]);
  const t = (shape.angleDeg * Math.PI) / 180;
  return Array.from({ length: points }, (_, i) => {
    const phi = (2 * Math.PI * i) / points;
    const a = (shape.lengthCm / 2) * Math.cos(phi);
    const b = (shape.widthCm / 2) * Math.sin(phi);
    // Distances are walked along the surface: `d` cm from the centre is d / radius radians round the head.
    const [u, v] = [a * Math.cos(t) - b * Math.sin(t), a * Math.sin(t) + b * Math.cos(t)];
    const d = Math.hypot(u, v);
    if (d === 0) return fromSphere(centre);
    const [cu, sv] = [Math.cos(d / radiusCm), Math.sin(d / radiusCm) / d];
    const step = (k: 0 | 1 | 2) => cu * centre[k] + sv * (u * across[k] + v * along[k]);
    return fromSphere(normalise([step(0), step(1), step(2)]));
  });
}

/**
 * The ellipse back from an outline: the centre, the farthest point on the surface gives length
 * and angle, the nearest the width. Exact for outlines `surfaceEllipse` drew.
 */
export function ellipseOf(outline: ReadonlyArray<readonly [number, number]>, radiusCm: number): SurfaceEllipse {
  const points = outline.map(([x, y]) => toSphere(x, y));
  const centre = normalise(points.reduce<Point3>((sum, p) => [sum[0] + p[0], sum[1] + p[1], sum[2] + p[2]], [0, 0, 0]));
  const [cx, cy] = fromSphere(centre);
  const { across, along } = surfaceAxes(cx, cy);
  // Each point as the walk from the centre that reaches it: its direction, and its length in cm.
  const flat = points.map((p) => {
    const d = radiusCm * Math.acos(Math.max(-1, Math.min(1, dot(p, centre))));
    const [u, v] = [dot(p, across), dot(p, along)];
    const k = d / (Math.hypot(u, v) || 1);
    return { u: u * k, v: v * k };
  });
  const far = flat.reduce((best, p) => (Math.hypot(p.u, p.v) > Math.hypot(best.u, best.v) ? p : best));
  const near = flat.reduce((best, p) => (Math.hypot(p.u, p.v) < Math.hypot(best.u, best.v) ? p : best));
  return {
    centre: [cx, cy],
    lengthCm: 2 * Math.hypot(far.u, far.v),
    widthCm: 2 * Math.hypot(near.u, near.v),
    angleDeg: (((Math.atan2(far.v, far.u) * 180) / Math.PI) % 180 + 180) % 180,
  };
}

/** What lies at the edges of each view, for the viewer's bearings: [top, left, right]. */
export const VIEW_BEARINGS: Readonly<Record<ScalpView, readonly [string, string, string]>> = {
  top: ['FRONT', 'L', 'R'],
  back: ['BACK', 'L', 'R'],
  left: ['LEFT', 'FRONT', 'BACK'],
  right: ['RIGHT', 'BACK', 'FRONT'],
};

/**
 * Where a region's name goes in a view: the point inside the outline farthest from its edges (a
 * crescent's centre of area lies outside it, a ring's inside its hole), found on a grid.
 */
export function labelPoint(outline: ReadonlyArray<readonly [number, number]>): [number, number] {
  const xs = outline.map(([x]) => x);
  const ys = outline.map(([, y]) => y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const steps = 24;
  let best: [number, number] = [outline[0]![0], outline[0]![1]];
  let clearance = -1;
  for (let i = 0; i <= steps; i++) {
    for (let j = 0; j <= steps; j++) {
      const [x, y] = [x0 + ((x1 - x0) * i) / steps, y0 + ((y1 - y0) * j) / steps];
      if (!insidePolygon(x, y, outline)) continue;
      const d = distanceToOutline(x, y, outline);
      if (d > clearance) [best, clearance] = [[x, y], d];
    }
  }
  return best;
}

function distanceToOutline(x: number, y: number, outline: ReadonlyArray<readonly [number, number]>): number {
  let nearest = Infinity;
  for (let i = 0, j = outline.length - 1; i < outline.length; j = i++) nearest = Math.min(nearest, distanceToSegment(x, y, outline[j]!, outline[i]!));
  return nearest;
}

/** How far (x, y) is from the segment from `a` to `b`. */
export function distanceToSegment(x: number, y: number, [ax, ay]: readonly [number, number], [bx, by]: readonly [number, number]): number {
  const [dx, dy] = [bx - ax, by - ay];
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy);
}

/** Extra points along long edges of a closed outline: a straight edge on the map is a curve on the head. */
function densify(points: Point3[]): Point3[] {
  return points.flatMap((a, i) => [a, ...arc(a, points[(i + 1) % points.length]!)]);
}

function normalise([px, py, pz]: Point3): Point3 {
  const n = Math.hypot(px, py, pz) || 1;
  return [px / n, py / n, pz / n];
}

/**
 * The scalp area of the map region where `inRegion` holds, on a unit sphere, by integrating over
 * the map's polar grid: what the proportions of real regions are measured by.
 */
export function sphereArea(inRegion: (x: number, y: number) => boolean, steps = 720): number {
  let area = 0;
  const dRho = 1 / steps;
  const dAlpha = 360 / steps;
  for (let i = 0; i < steps; i++) {
    const rho = (i + 0.5) * dRho;
    const ring = Math.sin(rho * SCALP_ANGLE) * SCALP_ANGLE * dRho * ((dAlpha * Math.PI) / 180);
    for (let j = 0; j < steps; j++) {
      const [x, y] = fromPolar(rho, -180 + (j + 0.5) * dAlpha);
      if (inRegion(x, y)) area += ring;
    }
  }
  return area;
}
