import { execFileSync, spawn } from 'node:child_process';

export interface ProbeAnswer {
  status?: number;
  headers?: Record<string, string | string[] | undefined>;
  body?: string;
  /** The connection failed: its error code. */
  error?: string;
}

/** Makes one HTTP(S) request and prints what came back as JSON; run inside the namespace by plain node. */
const PROBE = `
const [url, method, headers, ca] = JSON.parse(process.argv[1]);
const lib = url.startsWith('https:') ? require('node:https') : require('node:http');
const print = (answer) => process.stdout.write(JSON.stringify(answer));
const req = lib.request(url, { method, headers, ...(ca ? { ca } : {}) }, (res) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk) => (body += chunk));
  res.on('end', () => print({ status: res.statusCode, headers: res.headers, body }));
});
req.on('upgrade', (res, socket) => { print({ status: res.statusCode, headers: res.headers, body: '' }); socket.destroy(); });
req.on('error', (error) => print({ error: error.code || error.message }));
req.end();
`;

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });

/**
 * A network namespace joined to this one by a veth pair on a /30 of its own: a caller on the
 * "clinic network" that the test makes, owns, and removes. Nothing is sent anywhere else.
 * Needs root (the tests run as root in the sandbox and in CI).
 */
export class NetNamespace {
  private constructor(
    readonly name: string,
    private readonly hostLink: string,
    /** This side's address: where the server listens. */
    readonly hostAddress: string,
    /** The caller's address inside the namespace. */
    readonly guestAddress: string,
  ) {}

  static create(): NetNamespace {
    const id = process.pid % 100_000;
    const subnet = `10.200.${(process.pid % 250) + 1}`;
    const ns = new NetNamespace(`stipple-test-${id}`, `stp${id}h`, `${subnet}.1`, `${subnet}.2`);
    const guestLink = `stp${id}g`;
    try {
      ip('netns', 'add', ns.name);
      ip('link', 'add', ns.hostLink, 'type', 'veth', 'peer', 'name', guestLink);
      ip('link', 'set', guestLink, 'netns', ns.name);
      ip('addr', 'add', `${ns.hostAddress}/30`, 'dev', ns.hostLink);
      ip('link', 'set', ns.hostLink, 'up');
      ip('-n', ns.name, 'addr', 'add', `${ns.guestAddress}/30`, 'dev', guestLink);
      ip('-n', ns.name, 'link', 'set', guestLink, 'up');
    } catch (error) {
      ns.remove();
      throw error;
    }
    return ns;
  }

  /** One request made from inside the namespace; `ca` (PEM) is then the only CA trusted for https://. */
  request(url: string, options: { method?: string; headers?: Record<string, string>; ca?: string } = {}): Promise<ProbeAnswer> {
    const args = JSON.stringify([url, options.method ?? 'GET', options.headers ?? {}, options.ca ?? null]);
    const child = spawn('ip', ['netns', 'exec', this.name, process.execPath, '-e', PROBE, args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as ProbeAnswer) : reject(new Error(`the probe in ${this.name} exited with ${code}`))));
    });
  }

  /** Deleting the namespace deletes its end of the pair, and with it this end. */
  remove(): void {
    for (const args of [['link', 'del', this.hostLink], ['netns', 'del', this.name]]) {
      try {
        ip(...args);
      } catch {
        // already gone
      }
    }
  }
}
