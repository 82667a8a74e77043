import { centroid, insidePolygon, isOnScalp, regionAt, type RegionShape } from '../scalp/regions.ts';

/**
 * The fine density grid over the normalised scalp map: GRID × GRID square cells, row 0 at the
 * front. On the standard head a cell is about half a cm². Cell numbers are stored with every
 * session's counts, so GRID never changes.
 */
export const GRID = 40;
export const CELL_COUNT = GRID * GRID;

/** The cell a dot at (x, y) falls in; x = 1 or y = 1 belongs to the last cell. */
export function cellOf(x: number, y: number): number {
  const col = Math.min(GRID - 1, Math.floor(x * GRID));
  const row = Math.min(GRID - 1, Math.floor(y * GRID));
  return row * GRID + col;
}

export function cellCentre(cell: number): [number, number] {
  return [((cell % GRID) + 0.5) / GRID, (Math.floor(cell / GRID) + 0.5) / GRID];
}

export interface ScarOutline {
  id: string;
  outline: RegionShape['polygon'];
}

/**
 * Which region each cell belongs to (by its centre; null off the scalp). Scars lie over the
 * standard regions; a scar too small to hold a cell centre still gets the cell its middle is in.
 */
export function cellRegions(scars: readonly ScarOutline[]): Array<string | null> {
  const regions: Array<string | null> = [];
  for (let cell = 0; cell < CELL_COUNT; cell++) {
    const [x, y] = cellCentre(cell);
    if (!isOnScalp(x, y)) {
      regions.push(null);
      continue;
    }
    regions.push(scars.find((s) => insidePolygon(x, y, s.outline))?.id ?? regionAt(x, y) ?? null);
  }
  const scarIds = new Set(scars.map((s) => s.id));
  const heldByScar = (cell: number) => scarIds.has(regions[cell] ?? '');
  for (const scar of scars) {
    if (regions.includes(scar.id)) continue;
    const [cx, cy] = centroid(scar.outline);
    let cell = cellOf(cx, cy);
    // Two small scars close together must not take each other's only cell: the later one moves to
    // the nearest cell no scar holds.
    if (heldByScar(cell)) {
      let nearest = Infinity;
      for (let other = 0; other < CELL_COUNT; other++) {
        if (heldByScar(other)) continue;
        const [ox, oy] = cellCentre(other);
        const distance = (ox - cx) ** 2 + (oy - cy) ** 2;
        if (distance < nearest) [nearest, cell] = [distance, other];
      }
    }
    regions[cell] = scar.id;
  }
  return regions;
}
