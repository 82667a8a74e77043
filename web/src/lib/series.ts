/**
 * The last minutes of a chart's points, in uPlot's columnar form (x in Unix seconds). It lives
 * outside the chart so that points that arrive before the chart is on screen are not lost.
 */
export class SeriesBuffer {
  readonly xs: number[] = [];
  readonly ys: number[] = [];
  #listener: (() => void) | undefined;

  constructor(readonly windowS: number) {}

  reset(points: ReadonlyArray<readonly [number, number]>): void {
    this.xs.length = 0;
    this.ys.length = 0;
    this.append(points);
  }

  append(points: ReadonlyArray<readonly [number, number]>): void {
    for (const [atMs, value] of points) {
      this.xs.push(atMs / 1000);
      this.ys.push(value);
    }
    const cutoff = (this.xs.at(-1) ?? 0) - this.windowS;
    let drop = 0;
    while (drop < this.xs.length && this.xs[drop]! < cutoff) drop++;
    if (drop > 0) {
      this.xs.splice(0, drop);
      this.ys.splice(0, drop);
    }
    this.#listener?.();
  }

  /** One listener (the chart on screen); returns the function that stops listening. */
  subscribe(listener: () => void): () => void {
    this.#listener = listener;
    return () => (this.#listener = undefined);
  }
}
