import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/server.ts';
import { openStore, type Store } from '../store/index.ts';
import { laserBlock, laserBlockMessage } from './laser.ts';

const DAY = 86_400_000;
const opened: Array<{ store: Store; dir: string }> = [];
afterEach(() => {
  for (const { store, dir } of opened.splice(0)) {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function treatment() {
  const dir = tempDir('stipple-laser-');
  const store = openStore(dir);
  opened.push({ store, dir });
  const { id } = store.plans.create({ patientRef: 'P-7', sessions: 3, headScale: 1, reference: 'caucasian', createdAt: 1, plans: [] });
  const visit = (visitedAt: number, findings: Array<{ region: string; finding: 'needs-laser' | 'healed-well' | 'faded' }>) =>
    store.followups.addVisit({ treatmentId: id, visitedAt, recordedBy: 'Sam', note: '', findings: findings.map((f) => ({ ...f, note: '' })), createdAt: visitedAt });
  return { store, id, visit };
}

describe('the laser block', () => {
  it('a treatment without visits, or whose latest visit found no need for laser, is not blocked', () => {
    const { store, id, visit } = treatment();
    expect(laserBlock(store.followups, id)).toBeUndefined();
    visit(10 * DAY, [{ region: 'crown', finding: 'needs-laser' }]);
    visit(40 * DAY, [{ region: 'crown', finding: 'healed-well' }]);
    expect(laserBlock(store.followups, id)).toBeUndefined();
  });

  it('"needs laser" at the latest visit blocks, naming its regions, until that visit is cleared', () => {
    const { store, id, visit } = treatment();
    const found = visit(10 * DAY, [
      { region: 'crown', finding: 'needs-laser' },
      { region: 'crown', finding: 'faded' },
      { region: 'scar-strip', finding: 'needs-laser' },
      { region: 'frontal', finding: 'healed-well' },
    ]);
    const block = laserBlock(store.followups, id);
    expect(block).toEqual({ visitIds: [found.id], visitedAt: 10 * DAY, regions: ['crown', 'scar-strip'] });
    expect(laserBlockMessage(block!)).toMatch(/Crown, scar-strip needing laser/);
    store.followups.addClearance({ treatmentId: id, visitId: found.id, clearedBy: 'Sam', reason: 'Q-switched laser done', clearedAt: 20 * DAY });
    expect(laserBlock(store.followups, id)).toBeUndefined();
  });

  it('a later visit that finds the need again blocks again, whatever was cleared before', () => {
    const { store, id, visit } = treatment();
    const first = visit(10 * DAY, [{ region: 'crown', finding: 'needs-laser' }]);
    store.followups.addClearance({ treatmentId: id, visitId: first.id, clearedBy: 'Sam', reason: 'laser done', clearedAt: 20 * DAY });
    const second = visit(50 * DAY, [{ region: 'occipital', finding: 'needs-laser' }]);
    expect(laserBlock(store.followups, id)).toMatchObject({ visitIds: [second.id], regions: ['occipital'] });
  });

  it('a visit entered late for an earlier day does not hide the newest visit\'s finding', () => {
    const { store, id, visit } = treatment();
    const newest = visit(30 * DAY, [{ region: 'crown', finding: 'needs-laser' }]);
    visit(5 * DAY, [{ region: 'crown', finding: 'healed-well' }]);
    expect(laserBlock(store.followups, id)?.visitIds).toEqual([newest.id]);
  });

  it('a later visit that does not look at the region (a photo of another, no findings) does not lift the block', () => {
    const { store, id, visit } = treatment();
    const found = visit(10 * DAY, [{ region: 'crown', finding: 'needs-laser' }]);
    visit(20 * DAY, []);
    visit(25 * DAY, [{ region: 'frontal', finding: 'healed-well' }]);
    expect(laserBlock(store.followups, id)).toMatchObject({ visitIds: [found.id], regions: ['crown'] });
  });

  it('blocking findings at two visits are listed together, and one clearance of each lifts the block', () => {
    const { store, id, visit } = treatment();
    const a = visit(10 * DAY, [{ region: 'crown', finding: 'needs-laser' }]);
    const b = visit(20 * DAY, [{ region: 'occipital', finding: 'needs-laser' }]);
    expect(laserBlock(store.followups, id)).toMatchObject({ visitIds: [a.id, b.id].sort(), visitedAt: 20 * DAY });
    for (const visitId of [a.id, b.id]) store.followups.addClearance({ treatmentId: id, visitId, clearedBy: 'Sam', reason: 'laser done', clearedAt: 30 * DAY });
    expect(laserBlock(store.followups, id)).toBeUndefined();
  });
});
