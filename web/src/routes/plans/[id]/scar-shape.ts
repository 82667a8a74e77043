import { centroid, polygonArea } from '$scalp/regions';
import { TEMPLATE_SCALP_CM2 } from '$plans/head-template';

export type MapPoint = [number, number];

/**
 * A scar as the supervisor describes it: where it lies on the map and its size in centimetres.
 * The plan stores only the outline; the editor keeps these to let the sliders reshape it.
 */
export interface ScarShape {
  centre: MapPoint;
  widthCm: number;
  lengthCm: number;
  /** 0° runs across the head (left to right, like a strip scar), 90° from front to back. */
  angleDeg: number;
}

export const SCAR_LIMITS = {
  widthCm: { min: 0.3, max: 4, step: 0.1 },
  lengthCm: { min: 0.5, max: 25, step: 0.5 },
  angleDeg: { min: 0, max: 175, step: 5 },
} as const;

/** A fresh scar: a strip-like ellipse, the most common scar a clinic blends in. */
export const NEW_SCAR = { widthCm: 1, lengthCm: 8, angleDeg: 0 } as const;

const POINTS = 12;
/** A hair inside the head circle, so rounding never pushes a point off the scalp the server checks. */
const SCALP_RADIUS = 0.5 - 2e-4;

/**
 * Centimetres per map unit: the head circle (π/4 of the unit square) holds the standard scalp area
 * scaled by head size. An approximation, as the map is a flat top-down view of a dome.
 */
export function cmPerMapUnit(headScale: number): number {
  return Math.sqrt((TEMPLATE_SCALP_CM2 * headScale) / (Math.PI / 4));
}

function onScalp([x, y]: MapPoint): MapPoint {
  const dx = x - 0.5;
  const dy = y - 0.5;
  const r = Math.hypot(dx, dy);
  // A scar that reaches past the edge of the map's head is cut along the edge rather than refused.
  const k = r > SCALP_RADIUS ? SCALP_RADIUS / r : 1;
  return [round4(0.5 + dx * k), round4(0.5 + dy * k)];
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** The 12-point ellipse outline of a scar, kept on the scalp. */
export function scarOutline(shape: ScarShape, headScale: number): MapPoint[] {
  const unit = cmPerMapUnit(headScale);
  const a = shape.lengthCm / 2 / unit;
  const b = shape.widthCm / 2 / unit;
  const t = (shape.angleDeg * Math.PI) / 180;
  const [cx, cy] = shape.centre;
  return Array.from({ length: POINTS }, (_, i) => {
    const theta = (2 * Math.PI * i) / POINTS;
    const u = a * Math.cos(theta);
    const v = b * Math.sin(theta);
    return onScalp([cx + u * Math.cos(t) - v * Math.sin(t), cy + u * Math.sin(t) + v * Math.cos(t)]);
  });
}

/** The outline's area on the patient, to 0.1 cm² (never 0: the server needs an area above 0). */
export function scarAreaCm2(outline: ReadonlyArray<readonly [number, number]>, headScale: number): number {
  const cm2 = (polygonArea(outline) * TEMPLATE_SCALP_CM2 * headScale) / (Math.PI / 4);
  return Math.max(0.1, Math.round(cm2 * 10) / 10);
}

/**
 * The shape back from a stored outline: the centre, the farthest point gives length and angle,
 * the nearest the width. Exact for outlines this editor drew; a fair fit for any other.
 */
export function shapeOf(outline: ReadonlyArray<readonly [number, number]>, headScale: number): ScarShape {
  const unit = cmPerMapUnit(headScale);
  const [cx, cy] = centroid(outline);
  const distances = outline.map(([x, y]) => ({ x, y, d: Math.hypot(x - cx, y - cy) }));
  const far = distances.reduce((best, p) => (p.d > best.d ? p : best));
  const near = distances.reduce((best, p) => (p.d < best.d ? p : best));
  const angle = ((Math.atan2(far.y - cy, far.x - cx) * 180) / Math.PI + 360) % 180;
  return {
    centre: [cx, cy],
    lengthCm: clampStep(2 * far.d * unit, SCAR_LIMITS.lengthCm),
    widthCm: clampStep(2 * near.d * unit, SCAR_LIMITS.widthCm),
    // 180° is the same line as 0°: a near-horizontal scar reads 0°, not 175°.
    angleDeg: clampStep((Math.round(angle / SCAR_LIMITS.angleDeg.step) * SCAR_LIMITS.angleDeg.step) % 180, SCAR_LIMITS.angleDeg),
  };
}

function clampStep(value: number, limits: { min: number; max: number; step: number }): number {
  const stepped = Math.round(value / limits.step) * limits.step;
  return Math.round(Math.min(limits.max, Math.max(limits.min, stepped)) * 100) / 100;
}
