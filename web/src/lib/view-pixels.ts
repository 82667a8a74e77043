import { cellOf, GRID } from '$coverage/grid';
import { isOnScalp } from '$scalp/regions';
import { fromView, VIEW_HEIGHT, type ScalpView } from '$scalp/views';

/** Pixels across a side or back view's heat layer: the grid's detail, seen at an angle. */
const WIDTH = 2 * GRID;

export interface ViewPixels {
  width: number;
  height: number;
  /** The coverage cell each pixel shows, or -1 off the scalp. */
  cellOf: Int32Array;
}

const cache = new Map<ScalpView, ViewPixels>();

/** Which coverage cell each pixel of a view's heat layer shows: worked out once per view. */
export function viewPixels(view: ScalpView): ViewPixels {
  let pixels = cache.get(view);
  if (pixels) return pixels;
  const width = view === 'top' ? GRID : WIDTH;
  const height = view === 'top' ? GRID : Math.round(WIDTH * VIEW_HEIGHT[view]);
  const cells = new Int32Array(width * height);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const point = fromView(view, (i + 0.5) / width, ((j + 0.5) / height) * VIEW_HEIGHT[view]);
      cells[j * width + i] = point && isOnScalp(point[0], point[1]) ? cellOf(point[0], point[1]) : -1;
    }
  }
  pixels = { width, height, cellOf: cells };
  cache.set(view, pixels);
  return pixels;
}
