import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './helpers/child-server.ts';
import { tempDir } from './helpers/server.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const held: Server[] = [];
afterEach(() => {
  for (const server of held.splice(0)) server.close();
});

/** Runs the real server entry point with these settings until it exits; what it printed and its exit code. */
function startWith(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, HOST: '127.0.0.1', STIPPLE_TLS: 'off', STIPPLE_DATA_DIR: tempDir(), LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    // Started after all: stop it, so the test fails on its output rather than hanging.
    if (stdout.includes('Stipple is running at')) child.kill();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr, stdout })));
}

function expectOneLine(result: { code: number | null; stderr: string }, says: RegExp) {
  expect(result.code).not.toBe(0);
  expect(result.code).not.toBeNull();
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^stipple: /);
  expect(lines[0]).toMatch(says);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('a start that cannot work says why in one line and exits non-zero', () => {
  it('a short admin token', async () => {
    const result = await startWith({ PORT: String(await freePort()), STIPPLE_ADMIN_TOKEN: 'short' });
    expectOneLine(result, /STIPPLE_ADMIN_TOKEN must be at least 16 characters/);
  });

  it('a port that is not a port', async () => {
    expectOneLine(await startWith({ PORT: 'eighty' }), /PORT/);
  });

  it('a port in use', async () => {
    const port = await freePort();
    const blocker = createServer();
    held.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    expectOneLine(await startWith({ PORT: String(port) }), new RegExp(`port ${port} is in use`));
  });

  it('a data dir that cannot be made', async () => {
    const file = join(tempDir(), 'not-a-folder');
    writeFileSync(file, 'a file where the data dir should be');
    expectOneLine(await startWith({ PORT: String(await freePort()), STIPPLE_DATA_DIR: join(file, 'data') }), /not-a-folder/);
  });
});
