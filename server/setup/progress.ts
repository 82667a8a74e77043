import { z } from 'zod';
import { REVIEWED_SETTINGS, type ReviewedSetting } from '../protocol/setup.ts';
import type { SettingsStore } from '../store/settings.ts';

const setupProgress = z.object({
  /** When each reviewed setting was last saved. */
  reviewedAt: z.partialRecord(z.enum(REVIEWED_SETTINGS), z.number()),
  /** When every step was first found done. */
  completedAt: z.number().nullable(),
  /** When an admin dismissed the checklist unfinished. */
  dismissedAt: z.number().nullable(),
});
export type SetupProgress = z.infer<typeof setupProgress>;

const NOT_STARTED: SetupProgress = { reviewedAt: {}, completedAt: null, dismissedAt: null };

/**
 * What the setup checklist keeps beyond the clinic's own state: which settings someone has
 * reviewed (nothing else says so: the defaults look the same saved or not), and when it closed.
 */
export function setupProgressSetting(settings: SettingsStore) {
  const stored = settings.json('setup', setupProgress, NOT_STARTED);
  const update = (change: (progress: SetupProgress) => Partial<SetupProgress>) => {
    const progress = stored.get();
    stored.save({ ...progress, ...change(progress) });
  };
  return {
    get: stored.get,
    reviewed: (setting: ReviewedSetting, at: number) => update((p) => ({ reviewedAt: { ...p.reviewedAt, [setting]: at } })),
    completed: (at: number) => update(() => ({ completedAt: at })),
    dismissed: (at: number) => update(() => ({ dismissedAt: at })),
  };
}
