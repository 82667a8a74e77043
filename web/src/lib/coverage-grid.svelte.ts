import { CELL_COUNT } from '$coverage/grid';
import type { CellCounts } from '$protocol/live';

/**
 * One chair's coverage grid in the browser: this session's dots per cell and the patient's earlier
 * sessions', fed by the live feed. `version` moves on every change, so a drawing can follow it.
 */
export class CoverageGrid {
  readonly session = new Uint32Array(CELL_COUNT);
  readonly earlier = new Uint32Array(CELL_COUNT);
  sessionId: string | null = null;
  version = $state(0);

  reset(sessionId: string | null, cells: { session: CellCounts; earlier: CellCounts } | undefined): void {
    this.sessionId = sessionId;
    this.session.fill(0);
    this.earlier.fill(0);
    for (const [cell, n] of cells?.session ?? []) this.session[cell] = n;
    for (const [cell, n] of cells?.earlier ?? []) this.earlier[cell] = n;
    this.version += 1;
  }

  /** New counts for some cells of the session; counts are absolute, so a repeat changes nothing. */
  apply(sessionId: string, cells: CellCounts): void {
    if (sessionId !== this.sessionId) return;
    for (const [cell, n] of cells) this.session[cell] = n;
    this.version += 1;
  }
}
