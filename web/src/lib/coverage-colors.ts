import { ON_TARGET, type CoverageLevel } from '$coverage/levels';

/**
 * The colours of coverage, one set for region fills, the heat layer and the legend. Over target is
 * a hot magenta that nothing else on the dashboard uses, so the "painted scalp" risk stands out.
 */
export const LEVEL_COLOR: Readonly<Record<CoverageLevel, string>> = {
  none: '#1f2935',
  under: '#2563a8',
  on: '#1f9d5b',
  over: '#ff2d8a',
};

type Rgba = [number, number, number, number];
const UNDER: Rgba = [77, 163, 255, 0];
const ON: Rgba = [61, 220, 132, 215];
const OVER: Rgba = [255, 45, 138, 245];

/** The heat layer's colour for a done/target ratio (NaN: nothing drawn). Writes into `out` at `i`. */
export function heatColor(ratio: number, out: Uint8ClampedArray, i: number): void {
  let c: Rgba;
  if (Number.isNaN(ratio)) c = [0, 0, 0, 0];
  else if (ratio > ON_TARGET.max) c = OVER;
  else if (ratio >= ON_TARGET.min) c = ON;
  else c = [UNDER[0], UNDER[1], UNDER[2], Math.round(60 + (150 * ratio) / ON_TARGET.min)];
  out[i] = c[0];
  out[i + 1] = c[1];
  out[i + 2] = c[2];
  out[i + 3] = c[3];
}
