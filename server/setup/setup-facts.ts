import type { Store } from '../store/index.ts';
import type { HandpieceProgress, SetupFacts } from './checklist.ts';
import { clinicSetting } from './clinic.ts';
import { setupProgressSetting } from './progress.ts';

/** What the setup checklist reads, from the store as it is now. */
export function readSetupFacts(store: Store): SetupFacts {
  const devices = store.devices.list().filter((d) => d.revokedAt === null);
  const handpiece = (chairId: string): HandpieceProgress => {
    const paired = devices.filter((d) => d.chairId === chairId);
    return paired.some((d) => d.lastSeenAt !== null) ? 'connected' : paired.length > 0 ? 'paired' : 'none';
  };
  return {
    clinicName: clinicSetting(store.settings).get()?.name ?? null,
    chairs: store.chairs.list().map((c) => ({ name: c.name, handpiece: handpiece(c.id) })),
    roles: store.people.list().filter((p) => p.disabledAt === null).map((p) => p.role),
    reviewedAt: setupProgressSetting(store.settings).get().reviewedAt,
  };
}
