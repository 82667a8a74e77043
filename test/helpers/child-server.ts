import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ADMIN_TOKEN } from './server.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** How much of a server's output is kept: the end is what explains a failure. */
const OUTPUT_KEPT = 64 * 1024;

export interface ChildOptions {
  /** More settings for the server (STIPPLE_TIME_SCALE for a day in minutes). */
  env?: Record<string, string>;
  /** Flags for node itself, before the script (`--cpu-prof` to profile the server). */
  nodeArgs?: string[];
}

/** `server/main.ts` (or another server script) as its own process, the way the edge box runs it, so that it can be killed -9. */
export class ChildServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(dataDir: string, port: number, script = 'server/main.ts', extra: ChildOptions = {}): Promise<ChildServer> {
    // TypeScript runs through tsx; the built server as `npm start` runs it, with no loader thread beside it.
    const runner = script.endsWith('.ts') ? ['--import', 'tsx'] : ['--enable-source-maps'];
    const child = spawn(process.execPath, [...(extra.nodeArgs ?? []), ...runner, script], {
      cwd: repoRoot,
      // HTTPS on, as on the box, on a free port: test servers running side by side never meet on 8443.
      env: {
        ...process.env, PORT: String(port), HOST: '127.0.0.1', STIPPLE_DATA_DIR: dataDir, STIPPLE_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'warn', STIPPLE_HTTPS_PORT: '0',
        ...extra.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ChildServer(child, `http://127.0.0.1:${port}`);
    child.stdout!.on('data', (chunk: Buffer) => server.#keep(chunk));
    child.stderr!.on('data', (chunk: Buffer) => server.#keep(chunk));
    child.once('exit', (code, signal) => server.#keep(`[server exited: code ${code}, signal ${signal}]\n`));
    await new Promise<void>((resolve, reject) => {
      const started = () => {
        if (server.#output.includes('Stipple is running at')) resolve();
      };
      child.stdout!.on('data', started);
      child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${server.#output}`)));
    });
    return server;
  }

  #output = '';
  #inspectorUrl: string | undefined;

  /** Where the server's inspector listens, when it runs with `--inspect`. */
  get inspectorUrl(): string | undefined {
    return this.#inspectorUrl;
  }

  /** The end of what the server printed, and how it exited if it has: what a failed run needs to say why. */
  get output(): string {
    return this.#output;
  }

  #keep(chunk: Buffer | string): void {
    this.#output = (this.#output + chunk.toString()).slice(-OUTPUT_KEPT);
    this.#inspectorUrl ??= /Debugger listening on (ws:\/\/\S+)/.exec(this.#output)?.[1];
  }

  /** The server's process id, to read its CPU time and memory from /proc. */
  get pid(): number {
    return this.child.pid!;
  }

  /** Sends the server a signal (SIGUSR2 with `--heapsnapshot-signal` writes a heap snapshot). */
  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }

  /** SIGTERM: the server shuts down as on the box (a CPU profile is written on the way out). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }

  /** kill -9: no shutdown hook runs, nothing pending is flushed. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }
}
