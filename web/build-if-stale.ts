/**
 * Builds the dashboard when its build is missing or older than its sources, so that `npm start`
 * and `npm run demo` work from a fresh clone without a separate build step.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('.', import.meta.url));
const built = join(web, 'build', 'index.html');
const sources = [join(web, 'src'), join(web, 'static'), join(web, 'svelte.config.js'), join(web, 'vite.config.ts'), ...['protocol', 'scalp', 'coverage', 'plans'].map((dir) => join(web, '..', 'server', dir))];

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

if (!existsSync(built) || Math.max(...sources.map(newest)) > statSync(built).mtimeMs) {
  process.stdout.write('Building the dashboard…\n');
  execFileSync(process.execPath, [join(web, '..', 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: web, stdio: 'inherit' });
}
