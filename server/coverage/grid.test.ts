import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOnScalp, regionAt } from '../scalp/regions.ts';
import { centroid, polygonArea } from '../scalp/regions.ts';
import { CELL_COUNT, GRID, cellCentre, cellOf, cellRegions } from './grid.ts';

const unit = fc.double({ min: 0, max: 1, noNaN: true });
const HALF_CELL = 0.5 / GRID;

describe('the coverage grid', () => {
  it('is 40 × 40: cell numbers are stored with every session, so the grid never changes', () => {
    expect(GRID).toBe(40);
    expect(CELL_COUNT).toBe(1600);
  });

  it('every point of the unit square falls in a cell in range whose centre is within half a cell of it', () => {
    fc.assert(
      fc.property(unit, unit, (x, y) => {
        const cell = cellOf(x, y);
        expect(Number.isInteger(cell)).toBe(true);
        expect(cell).toBeGreaterThanOrEqual(0);
        expect(cell).toBeLessThan(CELL_COUNT);
        const [cx, cy] = cellCentre(cell);
        expect(Math.abs(cx - x)).toBeLessThanOrEqual(HALF_CELL + 1e-12);
        expect(Math.abs(cy - y)).toBeLessThanOrEqual(HALF_CELL + 1e-12);
      }),
      { numRuns: 2000 },
    );
  });

  it('the edges x = 1 and y = 1 belong to the last column and row, the origin to cell 0', () => {
    expect(cellOf(0, 0)).toBe(0);
    expect(cellOf(1, 0)).toBe(GRID - 1);
    expect(cellOf(0, 1)).toBe((GRID - 1) * GRID);
    expect(cellOf(1, 1)).toBe(CELL_COUNT - 1);
  });

  it('rows run from the front (y = 0) to the nape, columns from the patient\'s left', () => {
    expect(cellOf(0.5, 0.7)).toBe(28 * GRID + 20);
    expect(cellOf(0.01, 0.99)).toBe(39 * GRID + 0);
  });

  it('a cell\'s centre maps back to that cell, for every cell', () => {
    for (let cell = 0; cell < CELL_COUNT; cell++) {
      const [x, y] = cellCentre(cell);
      expect(cellOf(x, y)).toBe(cell);
    }
  });
});

describe('polygon area and centroid', () => {
  it('the unit square has area 1 and a triangle half its base times height, in either winding', () => {
    const square: Array<[number, number]> = [[0, 0], [1, 0], [1, 1], [0, 1]];
    expect(polygonArea(square)).toBeCloseTo(1, 12);
    expect(polygonArea([...square].reverse())).toBeCloseTo(1, 12);
    expect(polygonArea([[0.1, 0.1], [0.5, 0.1], [0.1, 0.4]])).toBeCloseTo((0.4 * 0.3) / 2, 12);
  });

  it('the area of an axis-aligned box is its width times height, wherever it lies', () => {
    fc.assert(
      fc.property(unit, unit, unit, unit, (a, b, c, d) => {
        const [x0, x1] = [Math.min(a, b), Math.max(a, b)];
        const [y0, y1] = [Math.min(c, d), Math.max(c, d)];
        expect(polygonArea([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])).toBeCloseTo((x1 - x0) * (y1 - y0), 9);
      }),
    );
  });

  it('the centroid of a box is its middle', () => {
    const [x, y] = centroid([[0.2, 0.4], [0.6, 0.4], [0.6, 0.5], [0.2, 0.5]]);
    expect(x).toBeCloseTo(0.4, 12);
    expect(y).toBeCloseTo(0.45, 12);
  });
});

describe('which region each cell belongs to', () => {
  const plain = cellRegions([]);

  it('cells whose centre is off the scalp circle have no region; every cell on it has a standard region', () => {
    let on = 0;
    for (let cell = 0; cell < CELL_COUNT; cell++) {
      const [x, y] = cellCentre(cell);
      if (isOnScalp(x, y)) {
        on += 1;
        expect(plain[cell]).toBe(regionAt(x, y));
        expect(plain[cell]).not.toBeNull();
      } else {
        expect(plain[cell]).toBeNull();
      }
    }
    // The inscribed circle covers π/4 of the square.
    expect(on / CELL_COUNT).toBeCloseTo(Math.PI / 4, 1);
    expect(plain[0]).toBeNull();
    expect(plain[CELL_COUNT - 1]).toBeNull();
  });

  it('a scar takes the cells whose centres lie inside its outline, over the standard regions', () => {
    const outline: Array<[number, number]> = [[0.4, 0.6], [0.6, 0.6], [0.6, 0.7], [0.4, 0.7]];
    const regions = cellRegions([{ id: 'scar-crown', outline }]);
    const scarCells = regions.flatMap((r, cell) => (r === 'scar-crown' ? [cell] : []));
    // 8 columns (0.4..0.6) by 4 rows (0.6..0.7).
    expect(scarCells).toHaveLength(32);
    for (const cell of scarCells) {
      const [x, y] = cellCentre(cell);
      expect(x > 0.4 && x < 0.6 && y > 0.6 && y < 0.7).toBe(true);
      expect(plain[cell]).toBe('crown');
    }
    regions.forEach((r, cell) => {
      if (r !== 'scar-crown') expect(r).toBe(plain[cell]);
    });
  });

  it('a scar too small to hold any cell centre still gets the one cell its middle lies in', () => {
    const tiny: Array<[number, number]> = [[0.501, 0.701], [0.509, 0.701], [0.509, 0.709], [0.501, 0.709]];
    const regions = cellRegions([{ id: 'scar-fue', outline: tiny }]);
    const cells = regions.flatMap((r, cell) => (r === 'scar-fue' ? [cell] : []));
    expect(cells).toEqual([cellOf(0.505, 0.705)]);
  });

  it('two small scars whose middles share a cell each keep a cell of their own, next to each other', () => {
    const a: Array<[number, number]> = [[0.501, 0.701], [0.504, 0.701], [0.504, 0.704], [0.501, 0.704]];
    const b: Array<[number, number]> = [[0.506, 0.706], [0.509, 0.706], [0.509, 0.709], [0.506, 0.709]];
    const regions = cellRegions([{ id: 'scar-a', outline: a }, { id: 'scar-b', outline: b }]);
    const cellsOf = (id: string) => regions.flatMap((r, cell) => (r === id ? [cell] : []));
    expect(cellsOf('scar-a')).toEqual([cellOf(0.5025, 0.7025)]);
    const [cellB] = cellsOf('scar-b');
    expect(cellsOf('scar-b')).toHaveLength(1);
    const [ax, ay] = cellCentre(cellOf(0.5025, 0.7025));
    const [bx, by] = cellCentre(cellB!);
    expect(Math.max(Math.abs(ax - bx), Math.abs(ay - by))).toBeCloseTo(1 / GRID, 12);
  });
});
