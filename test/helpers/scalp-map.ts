import type { Page } from 'playwright-core';

/**
 * Taps a region of the scalp map where a person would: on a point of the region that is on top
 * there. A region's box centre is no such point for a curved zone (the hairline band's lies in
 * the frontal zone, the mid-scalp ring's in the crown), so the point is searched for from the
 * centre outwards.
 */
export async function tapRegion(page: Page, region: string): Promise<void> {
  const polygon = page.locator(`polygon[data-region="${region}"][role="button"]`);
  const position = await polygon.evaluate((element) => {
    const shape = element as SVGPolygonElement;
    const box = shape.getBBox();
    const toScreen = shape.getScreenCTM()!;
    const rect = shape.getBoundingClientRect();
    const steps = 24;
    const candidates: Array<[number, number]> = [];
    for (let i = 0; i <= steps; i++) for (let j = 0; j <= steps; j++) candidates.push([i / steps, j / steps]);
    candidates.sort((a, b) => Math.hypot(a[0] - 0.5, a[1] - 0.5) - Math.hypot(b[0] - 0.5, b[1] - 0.5));
    for (const [fx, fy] of candidates) {
      const local = new DOMPoint(box.x + fx * box.width, box.y + fy * box.height);
      if (!shape.isPointInFill(local)) continue;
      const screen = local.matrixTransform(toScreen);
      if (document.elementFromPoint(screen.x, screen.y) === shape) return { x: screen.x - rect.left, y: screen.y - rect.top };
    }
    throw new Error('no point of the region can be tapped');
  });
  await polygon.click({ position });
}
