import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CELL_COUNT, GRID } from './grid.ts';
import { heatRatios } from './heat.ts';

const at = (row: number, col: number) => row * GRID + col;
const everywhere = new Array<boolean>(CELL_COUNT).fill(true);
const fresh = () => new Float32Array(CELL_COUNT);

describe('the heat layer: done against target over each cell and its neighbours', () => {
  it('is the ratio of the sums over the 3 × 3 block, not the mean of the cells\' own ratios', () => {
    const done = new Float64Array(CELL_COUNT);
    const target = new Float64Array(CELL_COUNT);
    for (let r = 19; r <= 21; r++) for (let c = 19; c <= 21; c++) target[at(r, c)] = 3;
    target[at(20, 20)] = 1;
    done[at(20, 20)] = 5;
    const out = heatRatios(done, target, everywhere, fresh());
    // 5 dots against 1 + 8 × 3 = 25 target: 0.2 (the mean of ratios would be 5/9).
    expect(out[at(20, 20)]).toBeCloseTo(0.2, 6);
    // A neighbour sees the same 5 dots against its own block's target.
    expect(out[at(20, 21)]).toBeCloseTo(5 / (1 + 5 * 3), 6);
  });

  it('is NaN where no dot lies in the block: nothing to draw, even where the plan wants dots', () => {
    const done = new Float64Array(CELL_COUNT);
    const target = new Float64Array(CELL_COUNT).fill(2);
    done[at(10, 10)] = 1;
    const out = heatRatios(done, target, everywhere, fresh());
    expect(out[at(10, 12)]).toBeNaN();
    expect(out[at(12, 12)]).toBeNaN();
    expect(out[at(11, 11)]).toBeCloseTo(1 / 18, 6);
  });

  it('is Infinity where dots lie in a block the plan wants none in', () => {
    const done = new Float64Array(CELL_COUNT);
    const target = new Float64Array(CELL_COUNT);
    target[at(5, 5)] = 4;
    done[at(5, 9)] = 2;
    done[at(5, 6)] = 2;
    const out = heatRatios(done, target, everywhere, fresh());
    expect(out[at(5, 9)]).toBe(Infinity);
    // Next to a planned cell the sums are finite again.
    expect(out[at(5, 6)]).toBeCloseTo(0.5, 6);
  });

  it('cells off the scalp are NaN and never add to an on-scalp neighbour\'s sums', () => {
    const onScalp = [...everywhere];
    onScalp[at(30, 31)] = false;
    const done = new Float64Array(CELL_COUNT);
    const target = new Float64Array(CELL_COUNT).fill(1);
    done[at(30, 31)] = 50;
    done[at(30, 29)] = 9;
    const out = heatRatios(done, target, onScalp, fresh());
    expect(out[at(30, 31)]).toBeNaN();
    // (30, 30) sees the 9 dots of (30, 29) against the 8 on-scalp cells of its block, not the 50 off it.
    expect(out[at(30, 30)]).toBeCloseTo(9 / 8, 6);
    expect(out[at(30, 32)]).toBeNaN();
  });

  it('blocks at the grid\'s edges and corners use the cells that exist', () => {
    const done = new Float64Array(CELL_COUNT).fill(1);
    const target = new Float64Array(CELL_COUNT).fill(2);
    const out = heatRatios(done, target, everywhere, fresh());
    expect(out[at(0, 0)]).toBeCloseTo(0.5, 6);
    expect(out[at(GRID - 1, GRID - 1)]).toBeCloseTo(0.5, 6);
    expect(out[at(0, 17)]).toBeCloseTo(0.5, 6);
    expect(out.every((v) => v === 0.5)).toBe(true);
  });

  it('writes into the array it is given and returns it', () => {
    const out = fresh();
    expect(heatRatios(new Float64Array(CELL_COUNT), new Float64Array(CELL_COUNT), everywhere, out)).toBe(out);
  });

  it('is unchanged when done and target are scaled alike, and NaN exactly where the block has no dot', () => {
    const sparse = fc.array(fc.tuple(fc.nat({ max: CELL_COUNT - 1 }), fc.integer({ min: 1, max: 50 })), { maxLength: 60 });
    fc.assert(
      fc.property(sparse, sparse, fc.integer({ min: 2, max: 9 }), (dots, targets, k) => {
        const done = new Float64Array(CELL_COUNT);
        const target = new Float64Array(CELL_COUNT);
        for (const [cell, n] of dots) done[cell] = n;
        for (const [cell, n] of targets) target[cell] = n;
        const once = heatRatios(done, target, everywhere, fresh());
        const scaled = heatRatios(done.map((d) => d * k), target.map((t) => t * k), everywhere, fresh());
        for (let cell = 0; cell < CELL_COUNT; cell++) {
          const row = Math.floor(cell / GRID);
          const col = cell % GRID;
          let near = false;
          for (let r = row - 1; r <= row + 1; r++) for (let c = col - 1; c <= col + 1; c++) {
            if (r >= 0 && r < GRID && c >= 0 && c < GRID && done[at(r, c)]! > 0) near = true;
          }
          if (Number.isNaN(once[cell]!) !== !near) return false;
          if (!(Object.is(once[cell], scaled[cell]) || Math.abs(once[cell]! - scaled[cell]!) <= 1e-6 * Math.abs(once[cell]!))) return false;
        }
        return true;
      }),
      { numRuns: 100 },
    );
  });
});
