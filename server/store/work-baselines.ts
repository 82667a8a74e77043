import { z } from 'zod';
import { SKIN_CONDITIONS, type SkinCondition } from '../protocol/plan.ts';
import type { WorkStats } from '../outlook/work-log.ts';
import type { Db } from './db.ts';

const moments = z.object({ n: z.number(), sum: z.number(), sq: z.number() });
const workStats = z.object({
  workMs: z.number(), needleMs: z.number(), dots: z.number(), cycles: z.number(),
  dwell: moments, gap: moments, pause: moments, jitter: moments,
});

/** Operators' baselines per kind of skin, kept from their last session on it. */
export function workBaselineStore(db: Db) {
  const upsert = db.prepare(
    `INSERT INTO work_baselines (operator_id, skin, stats, session_id, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (operator_id, skin) DO UPDATE SET stats = excluded.stats, session_id = excluded.session_id, updated_at = excluded.updated_at`,
  );
  const ofOperator = db.prepare<[string], { skin: string; stats: string }>('SELECT skin, stats FROM work_baselines WHERE operator_id = ?');

  return {
    save: db.transaction((operatorId: string, sessionId: string, baselines: ReadonlyMap<SkinCondition, WorkStats>, at: number) => {
      for (const [skin, stats] of baselines) upsert.run(operatorId, skin, JSON.stringify(stats), sessionId, at);
    }),
    /** A row that no longer reads (an unknown skin, a damaged value) is skipped: a baseline is a help, not a record. */
    ofOperator(operatorId: string): Map<SkinCondition, WorkStats> {
      const baselines = new Map<SkinCondition, WorkStats>();
      for (const row of ofOperator.all(operatorId)) {
        const skin = z.enum(SKIN_CONDITIONS).safeParse(row.skin);
        const stats = workStats.safeParse(safeJson(row.stats));
        if (skin.success && stats.success) baselines.set(skin.data, stats.data);
      }
      return baselines;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
