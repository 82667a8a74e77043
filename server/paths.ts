import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's root: the nearest folder above this module with the project's package.json. Found,
 * not assumed, so that the same code finds the dashboard and its helper scripts whether it runs
 * from `server/` under tsx or bundled into `dist/`.
 */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'server'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no project root above ${from}`);
  }
}

export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** The built dashboard the server serves. */
export const WEB_BUILD = join(PROJECT_ROOT, 'web', 'build');
