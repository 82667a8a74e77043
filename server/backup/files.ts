import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { cp, open, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { BackupFile } from '../protocol/backups.ts';

/** fsync of a file or a folder (a folder's sync makes a rename in it durable). */
export async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** SHA-256 of a file in hex, read as a stream: a large copy never blocks the event loop for long. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every file under `path` (itself when it is a file), as paths relative to `root` with "/" separators. */
export async function filesUnder(root: string, path: string): Promise<string[]> {
  const full = join(root, path);
  if (!(await stat(full)).isDirectory()) return [path];
  const entries = await readdir(full, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** Copies `path` (a file or a folder) from one root to another, and describes each file copied. */
export async function copyDescribed(fromRoot: string, toRoot: string, path: string): Promise<BackupFile[]> {
  await cp(join(fromRoot, path), join(toRoot, path), { recursive: true, errorOnExist: true, force: false, preserveTimestamps: true });
  const described: BackupFile[] = [];
  for (const file of await filesUnder(toRoot, path)) {
    const copy = join(toRoot, file);
    await syncPath(copy);
    described.push({ path: file, bytes: (await stat(copy)).size, sha256: await sha256File(copy) });
  }
  return described;
}

/** Whether a path exists (any kind of entry). */
export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Bytes in the files at or under `path`; 0 when there is nothing there. */
export async function bytesUnder(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.size;
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  const sizes = await Promise.all(entries.filter((e) => e.isFile()).map((e) => stat(join(e.parentPath, e.name)).then((s) => s.size)));
  return sizes.reduce((a, b) => a + b, 0);
}
