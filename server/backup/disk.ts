import { statfsSync, statSync } from 'node:fs';

export interface DiskSpace {
  /** Bytes this (unprivileged) process may still write. */
  freeBytes: number;
  totalBytes: number;
}

/** Free space of the file system that holds `path`; injectable, so that tests fill a disk without filling one. */
export type FreeSpaceReader = (path: string) => DiskSpace;

export const statfsFreeSpace: FreeSpaceReader = (path) => {
  const fs = statfsSync(path);
  return { freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize };
};

/** Whether two existing paths are on the same device: one dead disk would take both. */
export function sameDisk(a: string, b: string): boolean {
  return statSync(a).dev === statSync(b).dev;
}

