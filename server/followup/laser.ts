import type { LaserBlockView } from '../protocol/followup.ts';
import { SCALP_REGIONS } from '../scalp/regions.ts';
import type { FollowupStore } from '../store/followups.ts';

/**
 * Pigment that spread may need a Q-switched laser before more is placed: a "needs laser" finding at
 * the treatment's latest visit blocks its next session until a supervisor clears that visit.
 * A later visit without the finding lifts it too; a later one with it blocks again.
 */
export function laserBlock(followups: FollowupStore, treatmentId: string): LaserBlockView | undefined {
  const latest = followups.latestVisit(treatmentId);
  if (!latest) return undefined;
  const regions = [...new Set(latest.findings.filter((f) => f.finding === 'needs-laser').map((f) => f.region))];
  if (regions.length === 0 || followups.isCleared(latest.id)) return undefined;
  return { visitId: latest.id, visitedAt: latest.visitedAt, regions };
}

const regionName = (id: string) => SCALP_REGIONS.find((r) => r.id === id)?.label ?? id;

/** What the person starting the session reads: which regions, since when, and how it is lifted. */
export function laserBlockMessage(block: LaserBlockView): string {
  const day = new Date(block.visitedAt).toISOString().slice(0, 10);
  return `laser first: the follow-up visit of ${day} found ${block.regions.map(regionName).join(', ')} needing laser before the next session; ` +
    'a supervisor clears it on the treatment page once the laser is done';
}
