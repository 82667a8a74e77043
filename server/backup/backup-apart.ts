import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../paths.ts';
import { BACKUP_KINDS, backupEntry, type BackupEntry } from '../protocol/backups.ts';
import { BackupError } from './take-backup.ts';

/** What the server asks of its backup process. */
export const backupJob = z.object({ dataDir: z.string(), backupDir: z.string(), kind: z.enum(BACKUP_KINDS), at: z.number() });

// Found from the project root, so that a bundled server (dist/) finds it too.
const CHILD = join(PROJECT_ROOT, 'server', 'backup', 'backup-child.ts');
const childOutput = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), entry: backupEntry }), z.object({ ok: z.literal(false), message: z.string() })]);

/**
 * A backup made by `backup-child.ts` in a process of its own; `signal` stops it (the next backup
 * removes what it left).
 */
export function takeBackupApart(input: z.infer<typeof backupJob>, signal: AbortSignal): Promise<BackupEntry> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(input)], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], signal });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', (error) => reject(signal.aborted ? new BackupError('the backup was stopped: the server is shutting down') : error));
    child.once('close', (code) => {
      const parsed = childOutput.safeParse(safeJson(out));
      if (parsed.success) return parsed.data.ok ? resolve(parsed.data.entry) : reject(new BackupError(parsed.data.message));
      reject(new Error(`the backup process failed (exit ${code}): ${err.trim().split('\n').at(-1) ?? ''}`));
    });
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
