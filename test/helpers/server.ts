import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type ServerOptions } from '../../server/app.ts';
import { StippleApi } from '../../device-sim/api-client.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestServer extends RunningServer {
  dataDir: string;
  api: StippleApi;
  deviceUrl: string;
  /** An HTTP call with the admin token; a JSON body when given. */
  request(method: string, path: string, body?: unknown, token?: string): Promise<Response>;
  /** Stops the server and deletes its data directory. */
  dispose(): Promise<void>;
}

export function tempDir(prefix = 'stipple-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The real server on a free port with a fresh SQLite file. */
export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  const server = await startServer({ port: 0, host: '127.0.0.1', adminToken: ADMIN_TOKEN, ...options, dataDir });
  return {
    ...server,
    dataDir,
    api: new StippleApi(server.url, ADMIN_TOKEN),
    deviceUrl: `ws://127.0.0.1:${server.port}/ws/device`,
    request: (method, path, body, token = ADMIN_TOKEN) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    async dispose() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A chair with a paired handpiece. */
export async function chairWithDevice(api: StippleApi, name = 'Chair A') {
  const chair = await api.createChair(name);
  const device = await api.pairDevice(chair.id, `${name} handpiece`);
  return { chairId: chair.id, deviceId: device.id, token: device.token };
}

export async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
