import { describe, expect, it } from 'vitest';
import { TEMPLATE_AREA_CM2, TEMPLATE_SCALP_CM2 } from '../plans/head-template.ts';
import { STANDARD_REGIONS, type StandardRegion } from '../protocol/v1.ts';
import { insidePolygon, isOnScalp, regionAt, SCALP_OUTLINE, SCALP_REGIONS, toPolar } from './regions.ts';
import { distanceToSegment, ellipseOf, fromView, headRadiusCm, outlineInView, sphereArea, surfaceEllipse, toSphere, toView, VIEWS, type ScalpView } from './views.ts';

/** A grid over the unit frame, `n` points a side. */
const grid = (n: number) => Array.from({ length: n * n }, (_, k) => [(k % n + 0.5) / n, (Math.floor(k / n) + 0.5) / n] as const);

/** The regions each view is drawn for: where practitioners work them from. */
const WORKED_FROM: Readonly<Record<ScalpView, readonly StandardRegion[]>> = {
  top: STANDARD_REGIONS,
  back: ['occipital', 'crown', 'parietal-left', 'parietal-right'],
  left: ['temporal-left', 'parietal-left', 'hairline', 'frontal', 'occipital'],
  right: ['temporal-right', 'parietal-right', 'hairline', 'frontal', 'occipital'],
};

describe('the scalp regions on the map', () => {
  it('every point of the unit frame belongs to exactly one standard region, or to none off the scalp, and the drawn outlines agree', () => {
    let checked = 0;
    for (const [x, y] of grid(300)) {
      const region = regionAt(x, y);
      expect(region === undefined).toBe(!isOnScalp(x, y));
      if (!region) continue;
      // The outlines are drawn from the same rules: away from the edges, a point lies in exactly its region's outline.
      const near = SCALP_REGIONS.some((r) => r.polygon.some((p, i) => distanceToSegment(x, y, p, r.polygon[(i + 1) % r.polygon.length]!) < 0.006));
      if (near) continue;
      const containing = SCALP_REGIONS.filter((r) => insidePolygon(x, y, r.polygon)).map((r) => r.id);
      expect(containing, `(${x}, ${y})`).toEqual([region]);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(50_000);
  });

  it('the regions keep the proportions of the head template the plans assume, within 10 %', () => {
    const areas = Object.fromEntries(STANDARD_REGIONS.map((id) => [id, sphereArea((x, y) => regionAt(x, y) === id, 360)]));
    const total = Object.values(areas).reduce((a, b) => a + b, 0);
    for (const id of STANDARD_REGIONS) {
      const share = areas[id]! / total;
      const template = TEMPLATE_AREA_CM2[id] / TEMPLATE_SCALP_CM2;
      expect(Math.abs(share / template - 1), id).toBeLessThanOrEqual(0.1);
    }
  });

  it('the hairline recedes at the temples: the scalp is drawn in there, and full at the front and the back', () => {
    const edgeAt = (alpha: number) => Math.max(...SCALP_OUTLINE.map(([x, y]) => toPolar(x, y)).filter((p) => Math.abs(p.alpha - alpha) < 1).map((p) => p.rho));
    expect(edgeAt(38)).toBeLessThan(0.95);
    expect(edgeAt(-38)).toBeLessThan(0.95);
    expect(edgeAt(0)).toBeGreaterThan(0.99);
    expect(edgeAt(180)).toBeGreaterThan(0.99);
  });
});

describe('the views of the head', () => {
  it('a point maps into each view where it faces the viewer and back, to the same point', () => {
    for (const [x, y] of grid(60)) {
      if (!isOnScalp(x, y)) continue;
      for (const view of VIEWS) {
        const seen = toView(view, x, y);
        if (!seen) continue;
        const back = fromView(view, seen[0], seen[1])!;
        expect(back[0]).toBeCloseTo(x, 9);
        expect(back[1]).toBeCloseTo(y, 9);
      }
    }
  });

  it.each(VIEWS)('in the %s view, a dot of each region worked from it lands inside that region as the view draws it', (view) => {
    for (const id of WORKED_FROM[view]) {
      const outline = outlineInView(view, SCALP_REGIONS.find((r) => r.id === id)!.polygon);
      expect(outline.length, id).toBeGreaterThan(2);
      let inside = 0;
      let seen = 0;
      for (const [x, y] of grid(120)) {
        if (regionAt(x, y) !== id) continue;
        const point = toView(view, x, y);
        if (!point) continue;
        seen += 1;
        if (insidePolygon(point[0], point[1], outline)) inside += 1;
      }
      expect(seen, id).toBeGreaterThan(20);
      // All but the points on its drawn edge (many, for the crown's thin cap seen from behind).
      expect(inside / seen, id).toBeGreaterThan(0.95);
    }
  });

  it('the back, left and right views each show one side of the head: a point behind is not in the front view of it', () => {
    const nape = [0.5, 0.99] as const;
    const rightEar = [0.99, 0.5] as const;
    expect(toView('back', ...nape)).not.toBeNull();
    expect(toView('back', 0.5, 0.01)).toBeNull();
    expect(toView('right', ...rightEar)).not.toBeNull();
    expect(toView('left', ...rightEar)).toBeNull();
    // From behind, the patient's right is on the viewer's right; from the right side, the face is on the right.
    expect(toView('back', 0.8, 0.9)![0]).toBeGreaterThan(0.5);
    expect(toView('right', 0.9, 0.3)![0]).toBeGreaterThan(0.5);
    expect(toView('left', 0.1, 0.3)![0]).toBeLessThan(0.5);
  });

  it('the crown, over the top of the head, is cut along the silhouette and shows in the back view as a cap, not a sliver', () => {
    const crown = outlineInView('back', SCALP_REGIONS.find((r) => r.id === 'crown')!.polygon);
    const vs = crown.map(([, v]) => v);
    expect(Math.min(...vs)).toBeLessThan(0.01);
    expect(Math.max(...vs)).toBeGreaterThan(0.05);
  });

  it('a scar drawn on the surface keeps its size wherever it lies, and is measured back as drawn', () => {
    const radius = headRadiusCm(TEMPLATE_SCALP_CM2);
    for (const centre of [[0.5, 0.5], [0.5, 0.95], [0.3, 0.8]] as const) {
      const shape = { centre, lengthCm: 8, widthCm: 1, angleDeg: 0 };
      const outline = surfaceEllipse(shape, radius);
      // The ends of its length are 8 cm apart, walked over the head.
      const [a, b] = [toSphere(...outline[0]!), toSphere(...outline[6]!)];
      expect(Math.acos(a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) * radius).toBeCloseTo(8, 6);
      const measured = ellipseOf(outline, radius);
      expect(measured.lengthCm).toBeCloseTo(8, 6);
      expect(measured.widthCm).toBeCloseTo(1, 6);
      expect(measured.centre[0]).toBeCloseTo(centre[0], 3);
      expect(measured.centre[1]).toBeCloseTo(centre[1], 3);
    }
  });
});
