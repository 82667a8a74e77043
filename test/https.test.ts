import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pinnedFetch } from '../device-sim/pinned-fetch.ts';
import { Simulator } from '../device-sim/simulator.ts';
import { startServer } from '../server/app.ts';
import { StartupError } from '../server/startup-error.ts';
import { createClinicCa, issueServerCertificate } from '../server/tls/certificates.ts';
import { certificateFingerprint } from '../server/tls/fingerprint.ts';
import { freePort } from './helpers/child-server.ts';
import { count } from './helpers/database.ts';
import { NetNamespace } from './helpers/net-namespace.ts';
import { dot, RawDevice, tel } from './helpers/raw-device.ts';
import { ADMIN_TOKEN, chairWithDevice, startTestServer, tempDir, waitFor, type TestServer } from './helpers/server.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The server's CA, present because every server here is started with `tls`. */
function clinicCa(server: TestServer): { pem: string; fingerprint: string } {
  if (!server.clinicCa) throw new Error('the server was started without tls');
  return server.clinicCa;
}

const anotherCa = () => createClinicCa('another clinic', Date.now());
const storedDots = (server: TestServer) => count(server.dataDir, 'SELECT count(*) AS n FROM dots');

describe('HTTPS and WSS from the box', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ tls: { httpsPort: 0 } });
  });
  afterEach(async () => {
    await server.dispose();
  });
  const wssUrl = () => `wss://127.0.0.1:${server.httpsPort}/ws/device`;

  it('a handpiece pinned to the clinic CA says hello over WSS, and its messages are stored and acknowledged', async () => {
    const ids = await chairWithDevice(server.api);
    const { device, welcome } = await RawDevice.hello(wssUrl(), ids.deviceId, ids.token, { ca: clinicCa(server).pem });
    expect(welcome).toMatchObject({ chairId: ids.chairId, ackedSeq: 0 });
    device.send([tel(1), dot(2), dot(3)]);
    await device.acked(3);
    expect(storedDots(server)).toBe(2);
    device.close();
  });

  it('a handpiece pinned to another CA is refused at the TLS handshake, and nothing of it is stored', async () => {
    const ids = await chairWithDevice(server.api);
    const other = await anotherCa();
    await expect(RawDevice.connect(wssUrl(), { ca: other.certPem })).rejects.toMatchObject({ code: 'SELF_SIGNED_CERT_IN_CHAIN' });
    const devices = (await (await server.request('GET', '/api/devices')).json()) as Array<{ id: string; lastSeenAt: number | null }>;
    expect(devices.find((d) => d.id === ids.deviceId)?.lastSeenAt).toBeNull();
    expect(storedDots(server)).toBe(0);
  });

  it('protocol v1\'s ws:// still works for a gateway on the box itself', async () => {
    const ids = await chairWithDevice(server.api);
    const { device } = await RawDevice.hello(server.deviceUrl, ids.deviceId, ids.token);
    device.send(dot(1));
    await device.acked(1);
    device.close();
  });

  it('pairing a handpiece gives, with its token, the fingerprint of the CA it must pin: the CA served at /clinic-ca.pem', async () => {
    const chair = await server.api.createChair('Chair 1');
    const paired = await server.api.pairDevice(chair.id, 'Handpiece 1');
    const downloaded = await (await fetch(`${server.url}/clinic-ca.pem`)).text();
    expect(paired.caFingerprint).toBe(certificateFingerprint(downloaded));
    const rotated = (await (await server.request('POST', `/api/devices/${paired.id}/rotate`, {})).json()) as { caFingerprint: string };
    expect(rotated.caFingerprint).toBe(paired.caFingerprint);
  });

  it('the clinic CA downloads as a certificate file, over plain HTTP and over HTTPS', async () => {
    const { pem } = clinicCa(server);
    for (const response of [await fetch(`${server.url}/clinic-ca.pem`), await pinnedFetch(pem)(new URL(`${server.httpsUrl}/clinic-ca.pem`), {})]) {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/x-x509-ca-cert');
      expect(response.headers.get('content-disposition')).toBe('attachment; filename="stipple-clinic-ca.crt"');
      expect(await response.text()).toBe(pem);
    }
  });

  it('staff see the CA\'s fingerprint and the server certificate\'s names and expiry at /api/tls', async () => {
    const response = await server.request('GET', '/api/tls');
    expect(response.status).toBe(200);
    const view = (await response.json()) as { ca: { fingerprint: string }; server: { names: string[]; notAfter: number } };
    expect(view).toMatchObject({ enabled: true, clinicSupplied: false, httpsPort: server.httpsPort, httpPort: server.port });
    expect(view.ca.fingerprint).toBe(clinicCa(server).fingerprint);
    expect(view.server.names).toEqual(expect.arrayContaining(['localhost', '127.0.0.1', '::1']));
    expect(view.server.notAfter).toBeGreaterThan(Date.now() + 300 * 86_400_000);
  });

  it('the session cookie is Secure over HTTPS, and not over plain HTTP on the box itself', async () => {
    const https = pinnedFetch(clinicCa(server).pem);
    const signIn = (base: string, send: (url: URL, init: RequestInit) => Promise<Response>) =>
      send(new URL('/api/auth/sign-in', base), {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base },
        body: JSON.stringify({ token: ADMIN_TOKEN }),
      });
    const overHttps = await signIn(server.httpsUrl!, https);
    expect(overHttps.status).toBe(200);
    expect(overHttps.headers.get('set-cookie')).toMatch(/HttpOnly; Secure; SameSite=Strict/);
    const overHttp = await signIn(server.url, fetch);
    expect(overHttp.status).toBe(200);
    expect(overHttp.headers.get('set-cookie')).not.toMatch(/Secure/);

    const cookie = overHttps.headers.get('set-cookie')!.split(';')[0]!;
    const signOut = await https(new URL('/api/auth/sign-out', server.httpsUrl), { method: 'POST', headers: { cookie, origin: server.httpsUrl! } });
    expect(signOut.headers.get('set-cookie')).toMatch(/Max-Age=0.*Secure/);
  });

  it('the simulator given the clinic CA provisions over HTTPS and streams over WSS; given another CA it gets nowhere', async () => {
    const options = { serverUrl: server.httpsUrl!, adminToken: ADMIN_TOKEN, chairs: 1, speed: 1, seed: 1, scenario: 'steady' as const };
    await expect(Simulator.start({ ...options, ca: (await anotherCa()).certPem })).rejects.toThrow(/self-signed certificate in certificate chain/);
    const simulator = await Simulator.start({ ...options, ca: clinicCa(server).pem, startSessions: true });
    try {
      await waitFor(() => simulator.chairs[0]!.client.ackedSeq > 0, 10_000, 'the simulated handpiece to be acknowledged');
      expect(simulator.chairs[0]!.client.state).toBe('open');
    } finally {
      await simulator.stop();
    }
  });
});

describe('plain HTTP only (no `tls` option, or STIPPLE_TLS=off)', () => {
  it('has no HTTPS port and no CA to download, and /api/tls says so', async () => {
    const server = await startTestServer();
    try {
      expect(server.httpsPort).toBeUndefined();
      expect((await fetch(`${server.url}/clinic-ca.pem`)).status).toBe(404);
      expect(await (await server.request('GET', '/api/tls')).json()).toEqual({ enabled: false });
      const chair = await server.api.createChair('Chair 1');
      expect(await server.api.pairDevice(chair.id, 'Handpiece 1')).not.toHaveProperty('caFingerprint');
    } finally {
      await server.dispose();
    }
  });
});

describe('the clinic\'s own certificate (STIPPLE_TLS_CERT, STIPPLE_TLS_KEY)', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function clinicFiles() {
    const ca = await anotherCa();
    const cert = await issueServerCertificate(ca, { dns: ['localhost'], ips: ['127.0.0.1'] }, Date.now());
    writeFileSync(join(dir, 'chain.pem'), cert.certPem + ca.certPem);
    writeFileSync(join(dir, 'key.pem'), cert.keyPem);
    return { ca, supplied: { certFile: join(dir, 'chain.pem'), keyFile: join(dir, 'key.pem') } };
  }

  it('is served instead of a clinic CA of Stipple\'s, and handpieces pin the clinic\'s CA', async () => {
    const { ca, supplied } = await clinicFiles();
    const server = await startTestServer({ tls: { httpsPort: 0, supplied } });
    try {
      expect(existsSync(join(server.dataDir, 'tls'))).toBe(false);
      expect(clinicCa(server).fingerprint).toBe(certificateFingerprint(ca.certPem));
      expect(await (await server.request('GET', '/api/tls')).json()).toMatchObject({ clinicSupplied: true });
      const ids = await chairWithDevice(server.api);
      const { device } = await RawDevice.hello(`wss://127.0.0.1:${server.httpsPort}/ws/device`, ids.deviceId, ids.token, { ca: ca.certPem });
      device.send(dot(1));
      await device.acked(1);
      device.close();
    } finally {
      await server.dispose();
    }
  });

  it('a file that is not there, or a key that is not the certificate\'s, stops the start with one line', async () => {
    const { ca, supplied } = await clinicFiles();
    const start = (files: typeof supplied) => startServer({ dataDir: join(dir, 'data'), port: 0, host: '127.0.0.1', tls: { httpsPort: 0, supplied: files } });
    await expect(start({ ...supplied, certFile: join(dir, 'missing.pem') })).rejects.toThrow(
      new StartupError(`STIPPLE_TLS_CERT ${join(dir, 'missing.pem')}: there is no such file`),
    );
    writeFileSync(join(dir, 'ca.key'), ca.keyPem);
    await expect(start({ ...supplied, keyFile: join(dir, 'ca.key') })).rejects.toThrow(/^STIPPLE_TLS_KEY .*ca\.key: is not the key of the certificate in .*chain\.pem$/);
  });
});

describe('a caller on the clinic network (a network namespace the test makes and removes)', () => {
  let ns: NetNamespace;
  let server: TestServer;
  beforeAll(async () => {
    ns = NetNamespace.create();
    // Listening on this side of the pair only: every request here comes from the namespace.
    server = await startTestServer({ host: ns.hostAddress, tls: { httpsPort: 0 } });
  });
  afterAll(async () => {
    await server?.dispose();
    ns?.remove();
  });
  const plain = (path: string) => `http://${ns.hostAddress}:${server.port}${path}`;

  it('is sent from plain HTTP to the same host, path and query on HTTPS, with the method kept (308)', async () => {
    for (const method of ['GET', 'POST']) {
      const answer = await ns.request(plain('/chairs/ch_1?view=map'), { method });
      expect(answer.status).toBe(308);
      expect(answer.headers?.location).toBe(`https://${ns.hostAddress}:${server.httpsPort}/chairs/ch_1?view=map`);
    }
  });

  it('fetches the clinic CA over plain HTTP, then reaches HTTPS at the box\'s address trusting that CA alone', async () => {
    const ca = await ns.request(plain('/clinic-ca.pem'));
    expect(ca.status).toBe(200);
    expect(ca.body).toBe(clinicCa(server).pem);
    const health = await ns.request(`https://${ns.hostAddress}:${server.httpsPort}/api/health`, { ca: ca.body });
    expect(health).toMatchObject({ status: 200, body: '{"ok":true}' });
    const untrusted = await ns.request(`https://${ns.hostAddress}:${server.httpsPort}/api/health`, { ca: (await anotherCa()).certPem });
    expect(untrusted.error).toBe('SELF_SIGNED_CERT_IN_CHAIN');
  });

  it('is refused a WebSocket over plain HTTP, so no device token crosses the network in the clear', async () => {
    const upgrade = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64') };
    for (const path of ['/ws/device', '/ws/live']) {
      expect((await ns.request(plain(path), { headers: upgrade })).status).toBe(403);
    }
  });
});

describe('the edge box started as a service (server/main.ts)', () => {
  /** Runs server/main.ts until it prints `until` or exits; what it printed and its exit code. */
  function runMain(env: Record<string, string>, until: string) {
    const dataDir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: repoRoot,
      env: { ...process.env, HOST: '127.0.0.1', STIPPLE_DATA_DIR: dataDir, STIPPLE_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes(until)) child.kill();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      child.on('exit', (code) => {
        rmSync(dataDir, { recursive: true, force: true });
        resolve({ code, stdout, stderr });
      }),
    );
  }

  it('serves HTTPS by default and prints both addresses with the CA\'s fingerprint', async () => {
    const [port, httpsPort] = [await freePort(), await freePort()];
    const { stdout } = await runMain({ PORT: String(port), STIPPLE_HTTPS_PORT: String(httpsPort) }, 'HTTPS for tablets');
    expect(stdout).toContain(`Stipple is running at http://127.0.0.1:${port}`);
    expect(stdout).toMatch(new RegExp(`HTTPS for tablets and handpieces at https://127\\.0\\.0\\.1:${httpsPort}; .*/clinic-ca\\.pem \\(SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}\\)`));
  });

  it('with a clinic certificate file that is not there, says so in one line and exits non-zero', async () => {
    const result = await runMain({ PORT: String(await freePort()), STIPPLE_TLS_CERT: '/nonexistent/chain.pem', STIPPLE_TLS_KEY: '/nonexistent/key.pem' }, 'Stipple is running');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('stipple: STIPPLE_TLS_CERT /nonexistent/chain.pem: there is no such file\n');
  });
});
