import { fromPolar, scalpEdge, toPolar } from '$scalp/regions';
import { ellipseOf, headRadiusCm, surfaceEllipse } from '$scalp/views';
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
/** A hair inside the scalp's edge, so rounding never pushes a point off the scalp the server checks. */
const EDGE_MARGIN = 4e-4;

/** The patient's head radius: the standard scalp scaled by head size, as a cap of the head. */
const radiusCm = (headScale: number) => headRadiusCm(TEMPLATE_SCALP_CM2 * headScale);

function onScalp([x, y]: MapPoint): MapPoint {
  const { rho, alpha } = toPolar(x, y);
  // A scar that reaches past the scalp's edge is cut along the edge rather than refused.
  const edge = scalpEdge(alpha) - EDGE_MARGIN;
  const [ex, ey] = rho > edge ? fromPolar(edge, alpha) : [x, y];
  return [round4(ex), round4(ey)];
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** The 12-point ellipse outline of a scar, laid on the head's surface and kept on the scalp. */
export function scarOutline(shape: ScarShape, headScale: number): MapPoint[] {
  return surfaceEllipse(shape, radiusCm(headScale), POINTS).map(onScalp);
}

/** The scar's area on the patient, to 0.1 cm² (never 0: the server needs an area above 0). */
export function scarAreaCm2(outline: ReadonlyArray<readonly [number, number]>, headScale: number): number {
  const { lengthCm, widthCm } = ellipseOf(outline, radiusCm(headScale));
  return Math.max(0.1, Math.round(((Math.PI * lengthCm * widthCm) / 4) * 10) / 10);
}

/**
 * The shape back from a stored outline, measured on the head's surface. Exact for outlines this
 * editor drew; a fair fit for any other.
 */
export function shapeOf(outline: ReadonlyArray<readonly [number, number]>, headScale: number): ScarShape {
  const { centre, lengthCm, widthCm, angleDeg } = ellipseOf(outline, radiusCm(headScale));
  return {
    centre: [centre[0], centre[1]],
    lengthCm: clampStep(lengthCm, SCAR_LIMITS.lengthCm),
    widthCm: clampStep(widthCm, SCAR_LIMITS.widthCm),
    // 180° is the same line as 0°: a near-horizontal scar reads 0°, not 175°.
    angleDeg: clampStep((Math.round(angleDeg / SCAR_LIMITS.angleDeg.step) * SCAR_LIMITS.angleDeg.step) % 180, SCAR_LIMITS.angleDeg),
  };
}

function clampStep(value: number, limits: { min: number; max: number; step: number }): number {
  const stepped = Math.round(value / limits.step) * limits.step;
  return Math.round(Math.min(limits.max, Math.max(limits.min, stepped)) * 100) / 100;
}
