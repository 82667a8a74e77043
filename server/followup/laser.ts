import type { LaserBlockView } from '../protocol/followup.ts';
import { SCALP_REGIONS } from '../scalp/regions.ts';
import type { FollowupStore } from '../store/followups.ts';

/**
 * Pigment that spread may need a Q-switched laser before more is placed: a region whose latest
 * findings (at the newest visit that looked at it) say "needs laser" blocks the treatment's next
 * session until a supervisor clears that visit. A later visit that does not look at the region
 * (a photo of another, a visit with no findings) does not lift it; one that finds it healed does.
 */
export function laserBlock(followups: FollowupStore, treatmentId: string): LaserBlockView | undefined {
  const waiting = Object.entries(followups.latestFindings(treatmentId)).filter(
    ([, latest]) => latest.findings.some((f) => f.finding === 'needs-laser') && !followups.isCleared(latest.visitId),
  );
  if (waiting.length === 0) return undefined;
  return {
    visitIds: [...new Set(waiting.map(([, latest]) => latest.visitId))].sort(),
    visitedAt: Math.max(...waiting.map(([, latest]) => latest.visitedAt)),
    regions: waiting.map(([region]) => region),
  };
}

const regionName = (id: string) => SCALP_REGIONS.find((r) => r.id === id)?.label ?? id;

/** What the person starting the session reads: which regions, since when, and how it is lifted. */
export function laserBlockMessage(block: LaserBlockView): string {
  const day = new Date(block.visitedAt).toISOString().slice(0, 10);
  return `laser first: the follow-up visit of ${day} found ${block.regions.map(regionName).join(', ')} needing laser before the next session; ` +
    'a supervisor clears it on the treatment page once the laser is done';
}
