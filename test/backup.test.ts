import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKUP_DIR_HOLD_MS } from '../server/alarms/box-conditions.ts';
import { restoreBackup, RestoreRefused } from '../server/backup/restore.ts';
import type { DiskSpace } from '../server/backup/disk.ts';
import { BOX_SCOPE, type Condition } from '../server/protocol/alarms.ts';
import { backupEntry, backupManifest, backupStatus, type BackupEntry, type BackupStatus } from '../server/protocol/backups.ts';
import { StippleApi } from '../device-sim/api-client.ts';
import { STANDARD_REGIONS } from '../server/protocol/v1.ts';
import { DATABASE_FILE } from '../server/store/db.ts';
import { SCHEMA_VERSION } from '../server/store/migrations.ts';
import { ChildServer, freePort } from './helpers/child-server.ts';
import { RawDevice } from './helpers/raw-device.ts';
import { ADMIN_TOKEN, chairWithDevice, startTestServer, tempDir, waitFor, type TestServer } from './helpers/server.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A test server that is disposed after the test; backups only when asked, unless the test says otherwise. */
async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const started = await startTestServer({ ...options, backups: { nightlyAt: null, ...options.backups } });
  cleanup.push(() => started.dispose());
  return started;
}

function scratch(prefix: string): string {
  const dir = tempDir(prefix);
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A script of this repository run to its end as its own process: its exit code and what it printed. */
function run(script: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

/** A failure of a command-line tool or the server: exit code 1 and one line on stderr, no stack. */
function expectOneLine(result: { code: number | null; stderr: string }, says: RegExp): void {
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(says);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Reads a database file the way a second connection would (any SQLite file: a backup, a replaced one). */
function read<T>(file: string, sql: string): T[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

type Counts = { total: number; byRegion: Record<string, number> };

/** Each session's dot counts as a database file holds them. */
function countsIn(file: string): Record<string, Counts> {
  const counts: Record<string, Counts> = {};
  for (const row of read<{ id: string; region: string; dots: number }>(
    file,
    'SELECT s.id AS id, c.region AS region, c.dots AS dots FROM session_region_counts c JOIN sessions s ON s.key = c.session_key',
  )) {
    const session = (counts[row.id] ??= { total: 0, byRegion: {} });
    session.byRegion[row.region] = row.dots;
    session.total += row.dots;
  }
  return counts;
}

/** Each session's dot counts as a server's API gives them. */
async function countsOf(baseUrl: string, sessionIds: string[]): Promise<Record<string, Counts>> {
  const counts: Record<string, Counts> = {};
  for (const id of sessionIds) {
    const response = await fetch(`${baseUrl}/api/sessions/${id}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    counts[id] = ((await response.json()) as { dots: Counts }).dots;
  }
  return counts;
}

async function backupsOf(target: TestServer): Promise<BackupStatus> {
  return backupStatus.parse(await (await target.request('GET', '/api/backups')).json());
}

/** Polls an asynchronous probe until it gives a value. */
async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A handpiece on the raw protocol that keeps every dot it made, acknowledged or not (the memory
 * that lets it resend what a restored box lacks), and streams frames of dots while told to.
 */
class Handpiece {
  readonly made: Array<Record<string, unknown>> = [];
  #stream: NodeJS.Timeout | undefined;

  constructor(
    readonly deviceId: string,
    readonly token: string,
    public device: RawDevice,
  ) {}

  static async connect(url: string, ids: { deviceId: string; token: string }) {
    const { device } = await RawDevice.hello(url, ids.deviceId, ids.token);
    return new Handpiece(ids.deviceId, ids.token, device);
  }

  get lastSeq(): number {
    return this.made.length;
  }

  /** Makes `count` dots and sends them in frames of 50 (well under the frame size limit). */
  dots(count: number): void {
    let frame = [];
    for (let i = 0; i < count; i++) {
      const seq = this.made.length + 1;
      const dot = { type: 'dot', seq, ts: Date.now(), region: STANDARD_REGIONS[seq % 4], x: (seq % 97) / 97, y: 0.5, cycles: 18, dwellMs: 150, needles: 3 };
      this.made.push(dot);
      frame.push(dot);
      if (frame.length === 50 || i === count - 1) {
        this.device.send(frame);
        frame = [];
      }
    }
  }

  startStreaming(): void {
    this.#stream = setInterval(() => this.dots(10), 5);
  }

  async stopStreaming(): Promise<void> {
    clearInterval(this.#stream);
    await this.device.acked(this.lastSeq, 15_000);
  }

  /** Connects to a (restored) box and resends everything after what it says it has. */
  async resendTo(url: string): Promise<number> {
    this.device.close();
    const { device, welcome } = await RawDevice.hello(url, this.deviceId, this.token);
    this.device = device;
    const missing = this.made.filter((m) => (m.seq as number) > welcome.ackedSeq);
    for (let i = 0; i < missing.length; i += 50) device.send(missing.slice(i, i + 50));
    await device.acked(this.lastSeq, 15_000);
    return welcome.ackedSeq;
  }
}

/** Chairs with a handpiece each and an open session. */
async function clinic(target: TestServer, chairs: number) {
  const handpieces: Handpiece[] = [];
  const sessionIds: string[] = [];
  for (let i = 0; i < chairs; i++) {
    const ids = await chairWithDevice(target.api, `Chair ${i + 1}`);
    sessionIds.push((await target.api.startSession({ chairId: ids.chairId, operatorId: `op-${i}`, patientRef: `P-${i}` })).id);
    const handpiece = await Handpiece.connect(target.deviceUrl, ids);
    cleanup.push(() => handpiece.device.close());
    handpieces.push(handpiece);
  }
  return { handpieces, sessionIds };
}

async function backUpNow(target: TestServer): Promise<BackupEntry> {
  const response = await target.request('POST', '/api/backups?wait=true');
  expect(response.status).toBe(201);
  return backupEntry.parse(await response.json());
}

/** Overwrites pages [from, to) of a database file with garbage, as a failing disk would. */
function damagePages(file: string, from: number, to: number): void {
  const pageSize = 4096;
  const fd = openSync(file, 'r+');
  try {
    for (let page = from; page < to; page++) writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, page * pageSize);
  } finally {
    closeSync(fd);
  }
}

describe('backups taken while the handpieces stream', () => {
  it('a backup taken mid-stream restores to a box with the counts of the backup moment, and the handpieces\' resend completes them', async () => {
    const original = await server();
    const { handpieces, sessionIds } = await clinic(original, 3);
    for (const h of handpieces) h.startStreaming();
    await Promise.all(handpieces.map((h) => h.device.acked(300, 10_000)));

    const ackedBefore = handpieces.map((h) => h.device.of('ack').length);
    const backup = await backUpNow(original);
    // Dots were stored and acknowledged while the backup was being made.
    expect(handpieces.some((h, i) => h.device.of('ack').length > ackedBefore[i]!)).toBe(true);
    await Promise.all(handpieces.map((h) => h.stopStreaming()));
    const finalCounts = await countsOf(original.url, sessionIds);

    // The copy is one moment of the box: each handpiece's dots up to its acknowledged seq, none after.
    const copy = join(backup.path, DATABASE_FILE);
    const devices = read<{ lastSeq: number; dots: number; maxSeq: number | null }>(
      copy,
      'SELECT d.last_seq AS lastSeq, count(t.seq) AS dots, max(t.seq) AS maxSeq FROM devices d LEFT JOIN dots t ON t.device_key = d.key GROUP BY d.key',
    );
    for (const device of devices) {
      expect(device.dots).toBe(device.lastSeq);
      expect(device.maxSeq).toBe(device.lastSeq);
    }
    const atBackup = countsIn(copy);
    const backupTotal = Object.values(atBackup).reduce((sum, c) => sum + c.total, 0);
    const finalTotal = Object.values(finalCounts).reduce((sum, c) => sum + c.total, 0);
    expect(backupTotal).toBeGreaterThan(0);
    expect(backupTotal).toBeLessThan(finalTotal);

    const fresh = join(scratch('stipple-restored-'), 'data');
    const restore = await run('server/backup/restore-cli.ts', [backup.path, '--data-dir', fresh]);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    const restored = await server({ dataDir: fresh });
    expect(await countsOf(restored.url, sessionIds)).toEqual(atBackup);

    // The handpieces learn from the welcome what the restored box lacks and resend it.
    const backupSeqs = Object.fromEntries(read<{ id: string; lastSeq: number }>(copy, 'SELECT id, last_seq AS lastSeq FROM devices').map((d) => [d.id, d.lastSeq]));
    for (const h of handpieces) {
      const ackedSeq = await h.resendTo(restored.deviceUrl);
      expect(ackedSeq).toBe(backupSeqs[h.deviceId]);
      expect(ackedSeq).toBeLessThan(h.lastSeq);
    }
    expect(await countsOf(restored.url, sessionIds)).toEqual(finalCounts);
  });

  it('npm run backup copies a running box from a second process; npm run restore refuses while the box runs, and after a kill -9 restores, keeping the replaced database and its log aside', async () => {
    const dataDir = scratch('stipple-cli-');
    const port = await freePort();
    let box = await ChildServer.start(dataDir, port);
    cleanup.push(() => box.kill());
    const api = new StippleApi(box.url, ADMIN_TOKEN);
    const ids = await chairWithDevice(api);
    const session = await api.startSession({ chairId: ids.chairId, operatorId: 'op-1', patientRef: 'P-1' });
    const handpiece = await Handpiece.connect(`ws://127.0.0.1:${port}/ws/device`, ids);
    cleanup.push(() => handpiece.device.close());
    handpiece.startStreaming();
    await handpiece.device.acked(200, 10_000);

    const backup = await run('server/backup/backup-cli.ts', ['--data-dir', dataDir]);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^Backup made: .*integrity check ok\)$/m);
    await handpiece.stopStreaming();
    const [name] = readdirSync(join(dataDir, 'backups'));
    const folder = join(dataDir, 'backups', name!);
    const copy = join(folder, DATABASE_FILE);
    const [copied] = read<{ lastSeq: number; dots: number }>(copy, 'SELECT d.last_seq AS lastSeq, (SELECT count(*) FROM dots) AS dots FROM devices d');
    expect(copied!.dots).toBe(copied!.lastSeq); // a consistent moment, though the server wrote all along
    expect(backupManifest.parse(JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'))).kind).toBe('manual');

    const refused = await run('server/backup/restore-cli.ts', [folder, '--data-dir', dataDir]);
    expectOneLine(refused, /^stipple restore: Stipple is running on .* \(process \d+\): stop it first/);
    expect(readdirSync(dataDir).filter((f) => f.includes('.replaced-'))).toEqual([]);

    await box.kill(); // its pid file stays behind, naming a dead process
    expect(existsSync(join(dataDir, `${DATABASE_FILE}-wal`))).toBe(true);
    const restore = await run('server/backup/restore-cli.ts', [folder, '--data-dir', dataDir]);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    const aside = readdirSync(dataDir).filter((f) => f.startsWith(`${DATABASE_FILE}.replaced-`));
    expect(aside.some((f) => f.endsWith('-wal'))).toBe(true);
    // The replaced database, opened with its log, still holds every dot: nothing was thrown away.
    const replaced = join(dataDir, aside.find((f) => !f.endsWith('-wal') && !f.endsWith('-shm'))!);
    expect(read<{ n: number }>(replaced, 'SELECT count(*) AS n FROM dots')[0]!.n).toBe(handpiece.lastSeq);

    box = await ChildServer.start(dataDir, port);
    expect((await countsOf(box.url, [session.id]))[session.id]!.total).toBe(copied!.dots);
  });
});

describe('what a backup holds', () => {
  it('a manifest with the time, kind, size, the copy\'s SHA-256 and schema version, and the data dir\'s other files; folders only its owner can read', async () => {
    const dataDir = scratch('stipple-manifest-');
    mkdirSync(join(dataDir, 'tls'));
    writeFileSync(join(dataDir, 'tls', 'ca.pem'), '-----BEGIN CERTIFICATE-----\nclinic CA\n-----END CERTIFICATE-----\n');
    const target = await server({ dataDir });
    const made = await backUpNow(target);

    const manifest = backupManifest.parse(JSON.parse(readFileSync(join(made.path, 'manifest.json'), 'utf8')));
    const copy = join(made.path, DATABASE_FILE);
    expect(manifest.kind).toBe('manual');
    expect(made.name).toBe(manifest.time.replaceAll(':', '-'));
    expect(manifest.schemaVersion).toBe(SCHEMA_VERSION);
    expect(manifest.database).toEqual({ path: DATABASE_FILE, bytes: statSync(copy).size, sha256: sha256(copy) });
    expect(manifest.files).toEqual([{ path: 'tls/ca.pem', bytes: statSync(join(dataDir, 'tls', 'ca.pem')).size, sha256: sha256(join(made.path, 'tls', 'ca.pem')) }]);
    expect(manifest.size).toBe(manifest.database.bytes + manifest.files[0]!.bytes);
    // The copy is one self-contained file that passes the integrity check.
    expect(read<{ journal_mode: string }>(copy, 'PRAGMA journal_mode')[0]!.journal_mode).toBe('delete');
    expect(read<{ integrity_check: string }>(copy, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(statSync(join(dataDir, 'backups')).mode & 0o777).toBe(0o700);
    expect(statSync(made.path).mode & 0o777).toBe(0o700);

    const status = await backupsOf(target);
    expect(status.lastGood).toEqual(made);
    expect(status.sameDisk).toBe(true);
    expect(status.running).toBe(false);
  });

  it('sessions ending within minutes of each other make one backup, of kind session-end', async () => {
    const target = await server({ backups: { sessionEndDelayMs: 2_000 } });
    const { sessionIds } = await clinic(target, 2);
    for (const id of sessionIds) await target.api.endSession(id);
    const status = await eventually(async () => {
      const now = await backupsOf(target);
      return now.backups.length > 0 && !now.running ? now : undefined;
    }, 'the backup after the sessions');
    expect(status.backups.map((b) => b.kind)).toEqual(['session-end']);
    // Both sessions are in it, ended.
    const ended = read<{ n: number }>(join(status.backups[0]!.path, DATABASE_FILE), 'SELECT count(*) AS n FROM sessions WHERE ended_at IS NOT NULL');
    expect(ended[0]!.n).toBe(2);
  });
});

describe('restore checks the backup first', () => {
  async function stoppedBoxWithBackup() {
    const dataDir = scratch('stipple-stopped-');
    const target = await startTestServer({ dataDir, backups: { nightlyAt: null } });
    const { handpieces } = await clinic(target, 1);
    handpieces[0]!.dots(500);
    await handpieces[0]!.device.acked(500);
    handpieces[0]!.device.close();
    const made = await backUpNow(target);
    await target.close();
    return { dataDir, made, before: sha256(join(dataDir, DATABASE_FILE)) };
  }

  const unchanged = (dataDir: string, before: string) => {
    expect(sha256(join(dataDir, DATABASE_FILE))).toBe(before);
    expect(readdirSync(dataDir).filter((f) => f.includes('.replaced-') || f.includes('.restoring'))).toEqual([]);
  };

  it('a backup whose copy does not match the manifest\'s checksum is refused and nothing changes', async () => {
    const { dataDir, made, before } = await stoppedBoxWithBackup();
    const copy = join(made.path, DATABASE_FILE);
    const bytes = readFileSync(copy);
    bytes[bytes.length - 100]! ^= 0xff; // one bit flipped on a failing drive
    writeFileSync(copy, bytes);
    const restoring = restoreBackup(made.path, dataDir, Date.now());
    await expect(restoring).rejects.toThrow(RestoreRefused);
    await expect(restoring).rejects.toThrow(`${DATABASE_FILE} in the backup does not match its checksum in the manifest: the backup is damaged`);
    unchanged(dataDir, before);
  });

  it('a damaged copy whose manifest was made to match is refused by the integrity check', async () => {
    const { dataDir, made, before } = await stoppedBoxWithBackup();
    const copy = join(made.path, DATABASE_FILE);
    const pages = statSync(copy).size / 4096;
    damagePages(copy, Math.floor(pages / 4), Math.floor((3 * pages) / 4));
    const manifest = JSON.parse(readFileSync(join(made.path, 'manifest.json'), 'utf8')) as { database: { sha256: string } };
    manifest.database.sha256 = sha256(copy);
    writeFileSync(join(made.path, 'manifest.json'), JSON.stringify(manifest));
    await expect(restoreBackup(made.path, dataDir, Date.now())).rejects.toThrow(/^the database in the backup fails its integrity check: /);
    unchanged(dataDir, before);
  });
});

describe('a damaged database at start', () => {
  it('stops the start with one line that names the last good backup and the restore command', async () => {
    const dataDir = scratch('stipple-damaged-');
    const target = await startTestServer({ dataDir, backups: { nightlyAt: null } });
    const { handpieces } = await clinic(target, 1);
    handpieces[0]!.dots(2_000);
    await handpieces[0]!.device.acked(2_000);
    handpieces[0]!.device.close();
    const made = await backUpNow(target);
    await target.close();
    const file = join(dataDir, DATABASE_FILE);
    const pages = statSync(file).size / 4096;
    damagePages(file, Math.floor(pages / 4), Math.floor((3 * pages) / 4));

    const start = await run('server/main.ts', [], { STIPPLE_DATA_DIR: dataDir, PORT: String(await freePort()), HOST: '127.0.0.1', STIPPLE_ADMIN_TOKEN: ADMIN_TOKEN });
    expectOneLine(start, new RegExp(`^stipple: the database ${escape(file)} is damaged \\(.+\\); the last good backup was made ${escape(made.time)}: stop Stipple and run "npm run restore -- ${escape(made.path)}"`));
  });

  it('with garbage over its header and no backup, says so in one line', async () => {
    const dataDir = scratch('stipple-notadb-');
    const target = await startTestServer({ dataDir, backups: { nightlyAt: null } });
    await target.close();
    const file = join(dataDir, DATABASE_FILE);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(100, 0x5a), 0, 100, 0);
    closeSync(fd);

    const start = await run('server/main.ts', [], { STIPPLE_DATA_DIR: dataDir, PORT: String(await freePort()), HOST: '127.0.0.1', STIPPLE_ADMIN_TOKEN: ADMIN_TOKEN });
    expectOneLine(start, new RegExp(`^stipple: the database ${escape(file)} is damaged \\(file is not a database\\); there is no good backup in ${escape(join(dataDir, 'backups'))}`));
  });
});

describe('the box\'s technical alarms', () => {
  it('a data disk nearly full, a backup folder gone or full, and no good backup for 36 h each raise a box alarm that closes when fixed (the folder once it has stayed fixed for 5 min)', async () => {
    const clock = { t: Date.UTC(2026, 10, 26, 8), now() { return this.t; }, scale: 1 };
    const backupDir = scratch('stipple-alarm-backups-');
    const GiB = 1024 ** 3;
    const disks: Record<'data' | 'backup', DiskSpace> = { data: { freeBytes: 50 * GiB, totalBytes: 100 * GiB }, backup: { freeBytes: 500 * GiB, totalBytes: 1000 * GiB } };
    const target = await server({
      clock, backupDir,
      backups: { checkEveryMs: 10, freeSpace: (path) => (path === backupDir ? disks.backup : disks.data) },
    });
    const box = (condition: Condition) =>
      target.store.alarms.history({ from: 0, to: Number.MAX_SAFE_INTEGER, condition, chairId: BOX_SCOPE }).sort((a, b) => b.id - a.id)[0];
    const raised = (condition: Condition) => waitFor(() => box(condition)?.state === 'active' && box(condition), 5_000, `a ${condition} alarm`);
    const closed = (condition: Condition) => waitFor(() => box(condition)?.state === 'closed' && box(condition), 5_000, `the ${condition} alarm to close`);

    disks.data = { freeBytes: 0.5 * GiB, totalBytes: 100 * GiB };
    const diskLow = await raised('disk-low');
    expect(diskLow.detail).toBe('512 MiB free of 100 GiB (0%) on the data disk');
    // The box's alarms sit on the alarm history beside the chairs', and a supervisor acknowledges them.
    expect((await target.request('POST', `/api/alarms/${diskLow.id}/ack`)).status).toBe(200);
    disks.data = { freeBytes: 20 * GiB, totalBytes: 100 * GiB };
    await closed('disk-low');

    rmSync(backupDir, { recursive: true });
    expect((await raised('backup-dir-unusable')).detail).toBe(`the backup folder ${backupDir} is missing`);
    mkdirSync(backupDir, { mode: 0o700 });
    // A folder back in place clears its alarm only after 5 min without a fault: a mount that comes and goes is one alarm.
    await sleep(100);
    expect(box('backup-dir-unusable')?.state).toBe('active');
    clock.t += BACKUP_DIR_HOLD_MS;
    await closed('backup-dir-unusable');
    disks.backup = { freeBytes: 1024, totalBytes: 1000 * GiB };
    expect((await raised('backup-dir-unusable')).detail).toMatch(/^the backup folder has 1\.0 KiB free; a backup needs about \d/);
    disks.backup = { freeBytes: 500 * GiB, totalBytes: 1000 * GiB };
    clock.t += BACKUP_DIR_HOLD_MS;
    await closed('backup-dir-unusable');

    clock.t += 37 * 3_600_000;
    expect((await raised('backup-stale')).detail).toBe('no good backup in 37 h');
    await backUpNow(target);
    await closed('backup-stale');

    const listed = (await (await target.request('GET', `/api/alarms?chairId=${BOX_SCOPE}`)).json()) as { alarms: Array<{ condition: string }> };
    expect(listed.alarms.map((a) => a.condition).sort()).toEqual(['backup-dir-unusable', 'backup-dir-unusable', 'backup-stale', 'disk-low']);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
