import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The built dashboard: files as they are, and the app shell for any other page path, so that
 * /chairs/<id> opened directly (or reloaded on a tablet) still starts the app.
 */
export function webApp(webRoot: string) {
  const shellFile = join(webRoot, 'index.html');
  if (!existsSync(shellFile)) throw new Error(`the dashboard is not built: ${shellFile} is missing (run npm run build:web)`);
  return new Hono()
    .use('*', serveStatic({ root: relative(process.cwd(), webRoot) }))
    // Read per page load, not once: a rebuilt dashboard names new asset files.
    .get('*', (c) => c.html(readFileSync(shellFile, 'utf8')));
}
