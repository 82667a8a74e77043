import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import { DAY_MS } from '../protocol/days.ts';
import { createClinicCa, issueServerCertificate, SERVER_LIFETIME_MS } from './certificates.ts';
import { ClinicTls, type TlsMaterial } from './clinic-tls.ts';
import { certificateFingerprint } from './fingerprint.ts';
import type { BoxNames } from './names.ts';

let dataDir: string;
let now: number;
let names: BoxNames;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'stipple-clinic-tls-'));
  now = Date.UTC(2026, 5, 1);
  names = { dns: ['localhost', 'stipple-box'], ips: ['127.0.0.1', '192.168.1.20'] };
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const start = (options: Parameters<typeof ClinicTls.start>[0] = { httpsPort: 0 }) =>
  ClinicTls.start(options, dataDir, { now: () => now, names: () => names, log: silentLogger });

async function until<T>(probe: () => T | undefined): Promise<T> {
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the TLS set-up of a running server', () => {
  it('serves the server certificate with the clinic CA behind it, and names the CA by its fingerprint', async () => {
    const tls = await start();
    const { cert, caPem, caFingerprint, clinicSupplied, serverNames } = tls.material;
    expect(cert.endsWith(caPem)).toBe(true);
    expect(caFingerprint).toBe(certificateFingerprint(caPem));
    expect(clinicSupplied).toBe(false);
    expect(serverNames).toEqual(names);
  });

  it('issues the server certificate again as it nears its end, keeping the CA', async () => {
    const tls = await start();
    const before = tls.material;
    expect(await tls.refresh()).toBe(false);
    now += SERVER_LIFETIME_MS - 10 * DAY_MS;
    expect(await tls.refresh()).toBe(true);
    expect(tls.material.caPem).toBe(before.caPem);
    expect(tls.material.serverNotAfter).toBe(now + SERVER_LIFETIME_MS);
  });

  it('hands the listener a certificate naming a new address while it runs, keeping the CA', async () => {
    const tls = await start();
    const caPem = tls.material.caPem;
    const applied: TlsMaterial[] = [];
    const stop = tls.keepFresh((material) => applied.push(material), 5);
    names = { ...names, ips: [...names.ips, '192.168.1.77'] };
    const renewed = await until(() => applied[0]);
    stop();
    expect(renewed.serverNames.ips).toContain('192.168.1.77');
    expect(renewed.caPem).toBe(caPem);
  });

  it('serves the clinic\'s own certificate as given and never issues one itself', async () => {
    const ca = await createClinicCa('clinic IT', now);
    const server = await issueServerCertificate(ca, { dns: ['smp.clinic.example'], ips: [] }, now);
    writeFileSync(join(dataDir, 'chain.pem'), server.certPem + ca.certPem);
    writeFileSync(join(dataDir, 'key.pem'), server.keyPem);
    const tls = await start({ httpsPort: 0, supplied: { certFile: join(dataDir, 'chain.pem'), keyFile: join(dataDir, 'key.pem') } });
    expect(tls.material).toMatchObject({ clinicSupplied: true, caFingerprint: certificateFingerprint(ca.certPem), serverNames: { dns: ['smp.clinic.example'] } });
    now += SERVER_LIFETIME_MS;
    expect(await tls.refresh()).toBe(false);
  });
});
