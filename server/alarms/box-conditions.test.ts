import { describe, expect, it } from 'vitest';
import { defaultAlarmSettings } from '../protocol/alarms.ts';
import { AlarmBook } from './alarm-book.ts';
import { BoxConditions, defaultBoxLimits, type BoxReading } from './box-conditions.ts';
import type { ConditionChange } from './conditions.ts';

/** BoxConditions reads no clock and no disk: these tests are the clock and the disks. */
const H = 3_600_000;
const GiB = 1024 ** 3;

/** A healthy box at `at`: a backup an hour old, room everywhere. */
function reading(at: number, change: Partial<BoxReading> = {}): BoxReading {
  return {
    at,
    lastGoodBackupAt: at - H,
    expectingSince: 0,
    backupDir: { path: '/mnt/backup', state: 'ok', freeBytes: 500 * GiB },
    backupBytes: 2 * GiB,
    dataDisk: { freeBytes: 100 * GiB, totalBytes: 200 * GiB },
    ...change,
  };
}

const brief = (changes: ConditionChange[]) => changes.map(({ condition, on }) => `${condition} ${on ? 'on' : 'off'}`);

describe('the box\'s technical conditions', () => {
  it('a healthy box raises nothing', () => {
    expect(new BoxConditions(defaultBoxLimits).observe(reading(100 * H))).toEqual([]);
  });

  it('no good backup newer than 36 h turns "no recent good backup" on, and a new backup turns it off', () => {
    const box = new BoxConditions(defaultBoxLimits);
    const lastGoodBackupAt = 10 * H;
    expect(box.observe(reading(lastGoodBackupAt + 36 * H, { lastGoodBackupAt }))).toEqual([]);
    const late = box.observe(reading(lastGoodBackupAt + 36 * H + 1, { lastGoodBackupAt }));
    expect(late).toEqual([{ condition: 'backup-stale', on: true, at: lastGoodBackupAt + 36 * H + 1, detail: 'the last good backup is 36 h old' }]);
    expect(box.observe(reading(lastGoodBackupAt + 40 * H, { lastGoodBackupAt }))).toEqual([]); // still the one condition
    expect(brief(box.observe(reading(lastGoodBackupAt + 41 * H)))).toEqual(['backup-stale off']);
  });

  it('a box that never made a backup has 36 h from when it began expecting one', () => {
    const box = new BoxConditions(defaultBoxLimits);
    const expectingSince = 5 * H;
    expect(box.observe(reading(expectingSince + 30 * H, { lastGoodBackupAt: null, expectingSince }))).toEqual([]);
    const [change] = box.observe(reading(expectingSince + 37 * H, { lastGoodBackupAt: null, expectingSince }));
    expect(change).toMatchObject({ condition: 'backup-stale', on: true, detail: 'no good backup in 37 h' });
  });

  it('a backup folder that is missing, not writable, or too small for the next backup is one condition with the reason', () => {
    const box = new BoxConditions(defaultBoxLimits);
    const missing = box.observe(reading(H, { backupDir: { path: '/mnt/backup', state: 'missing', freeBytes: null } }));
    expect(missing).toEqual([{ condition: 'backup-dir-unusable', on: true, at: H, detail: 'the backup folder /mnt/backup is missing' }]);
    expect(brief(box.observe(reading(2 * H)))).toEqual(['backup-dir-unusable off']);
    const notWritable = box.observe(reading(3 * H, { backupDir: { path: '/mnt/backup', state: 'not-writable', freeBytes: 10 * GiB } }));
    expect(notWritable[0]?.detail).toBe('the backup folder /mnt/backup is not writable');
    expect(brief(box.observe(reading(4 * H)))).toEqual(['backup-dir-unusable off']);
    const full = box.observe(reading(5 * H, { backupDir: { path: '/mnt/backup', state: 'ok', freeBytes: 1.5 * GiB } }));
    expect(full[0]?.detail).toBe('the backup folder has 1.5 GiB free; a backup needs about 2.0 GiB');
  });

  it('a backup folder on a mount that comes and goes is one alarm, cleared once it has gone 5 min without a fault', () => {
    const box = new BoxConditions(defaultBoxLimits);
    const M = 60_000;
    const gone: Partial<BoxReading> = { backupDir: { path: '/mnt/backup', state: 'missing', freeBytes: null } };
    expect(brief(box.observe(reading(H, gone)))).toEqual(['backup-dir-unusable on']);
    // Back for a minute, gone again, back: read once a minute, as the box reads it.
    expect(box.observe(reading(H + M))).toEqual([]);
    expect(box.observe(reading(H + 2 * M, gone))).toEqual([]);
    for (let minute = 3; minute < 7; minute++) expect(box.observe(reading(H + minute * M))).toEqual([]);
    expect(box.observe(reading(H + 7 * M - 1))).toEqual([]);
    expect(box.observe(reading(H + 7 * M))).toEqual([
      { condition: 'backup-dir-unusable', on: false, at: H + 7 * M, detail: 'the backup folder can take a backup' },
    ]);
  });

  it('a backup folder with just enough room again stays one alarm until it has room to spare', () => {
    const box = new BoxConditions(defaultBoxLimits);
    const dir = (freeBytes: number): Partial<BoxReading> => ({ backupDir: { path: '/mnt/backup', state: 'ok', freeBytes } });
    expect(brief(box.observe(reading(H, dir(1.9 * GiB))))).toEqual(['backup-dir-unusable on']);
    expect(box.observe(reading(2 * H, dir(2.1 * GiB)))).toEqual([]); // enough, but by less than 10 %
    expect(box.observe(reading(3 * H, dir(1.99 * GiB)))).toEqual([]);
    expect(brief(box.observe(reading(4 * H, dir(2.3 * GiB))))).toEqual(['backup-dir-unusable off']);
  });

  it('the data disk below 1 GiB or below 5 % free turns "data disk nearly full" on, off again only 10 % above both', () => {
    const box = new BoxConditions(defaultBoxLimits);
    const disk = (freeBytes: number, totalBytes: number): Partial<BoxReading> => ({ dataDisk: { freeBytes, totalBytes } });
    // A small disk: the 1 GiB floor comes first.
    expect(box.observe(reading(H, disk(0.9 * GiB, 16 * GiB)))).toEqual([
      { condition: 'disk-low', on: true, at: H, detail: '922 MiB free of 16 GiB (5%) on the data disk' },
    ]);
    expect(box.observe(reading(2 * H, disk(1.05 * GiB, 16 * GiB)))).toEqual([]);
    expect(brief(box.observe(reading(3 * H, disk(1.2 * GiB, 16 * GiB))))).toEqual(['disk-low off']);
    // A large disk: 5 % comes first, though many GiB are left.
    expect(brief(box.observe(reading(4 * H, disk(90 * GiB, 2048 * GiB))))).toEqual(['disk-low on']);
    expect(box.observe(reading(5 * H, disk(105 * GiB, 2048 * GiB)))).toEqual([]);
    expect(brief(box.observe(reading(6 * H, disk(120 * GiB, 2048 * GiB))))).toEqual(['disk-low off']);
  });

  it('after a restart, a condition its open alarm says held clears when the reading is good', () => {
    const box = new BoxConditions(defaultBoxLimits);
    box.assume('disk-low');
    expect(brief(box.observe(reading(H)))).toEqual(['disk-low off']);
  });

  it('its conditions become alarms of the box in the alarm book: medium, technical, closed when they clear', () => {
    let id = 0;
    const book = new AlarmBook(defaultAlarmSettings, () => ++id);
    const box = new BoxConditions(defaultBoxLimits);
    const apply = (changes: ConditionChange[]) =>
      changes.flatMap((c) => (c.on ? book.raise('box', c.condition, c.at, c.detail, null) : book.clear('box', c.condition, c.at, c.detail)));
    const raised = apply(box.observe(reading(H, { dataDisk: { freeBytes: 0.5 * GiB, totalBytes: 100 * GiB } })));
    expect(raised.map((e) => [e.alarm.chairId, e.alarm.condition, e.alarm.priority, e.change])).toEqual([['box', 'disk-low', 'medium', 'raised']]);
    expect(apply(box.observe(reading(2 * H))).map((e) => e.change)).toEqual(['condition-cleared', 'closed']);
  });
});
