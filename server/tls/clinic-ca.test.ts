import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../protocol/days.ts';
import { StartupError } from '../startup-error.ts';
import { certificateFacts, issuedBy, SERVER_LIFETIME_MS } from './certificates.ts';
import { ensureClinicCertificates, TLS_FILES } from './clinic-ca.ts';

const now = Date.UTC(2026, 5, 1);
const names = { dns: ['localhost', 'stipple-box', 'stipple-box.local'], ips: ['127.0.0.1', '192.168.1.20', '::1'] };
let dir: string;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'stipple-tls-')), 'tls');
});
afterEach(() => {
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

const ensure = (at: number, wanted = names) => ensureClinicCertificates({ dir, names: wanted, now: at, label: 'stipple-box' });
const mode = (file: string) => statSync(join(dir, file)).mode & 0o777;

describe('the clinic CA and the server certificate', () => {
  it('are made at first start: the keys readable by the server alone, the server certificate naming the box and chaining to the CA', async () => {
    const made = await ensure(now);
    expect(made.made).toEqual(['made the clinic CA', 'issued the server certificate: there is none yet']);
    expect(mode('.')).toBe(0o700);
    expect(mode(TLS_FILES.caKey)).toBe(0o600);
    expect(mode(TLS_FILES.serverKey)).toBe(0o600);
    expect(issuedBy(made.server.certPem, made.ca.certPem)).toBe(true);
    const facts = certificateFacts(made.server.certPem);
    expect(facts.names).toEqual(names);
    expect(facts.notAfter).toBe(now + SERVER_LIFETIME_MS);
  });

  it('are kept as they are at the next start', async () => {
    const first = await ensure(now);
    const again = await ensure(now + DAY_MS);
    expect(again.made).toEqual([]);
    expect(again.ca).toEqual(first.ca);
    expect(again.server).toEqual(first.server);
  });

  it('a server certificate in its last 30 days is issued again; the CA is kept', async () => {
    const first = await ensure(now);
    const later = now + SERVER_LIFETIME_MS - 20 * DAY_MS;
    const renewed = await ensure(later);
    expect(renewed.made).toEqual(['issued the server certificate: it expires within 30 days']);
    expect(renewed.ca).toEqual(first.ca);
    expect(renewed.server.certPem).not.toBe(first.server.certPem);
    expect(certificateFacts(renewed.server.certPem).notAfter).toBe(later + SERVER_LIFETIME_MS);
    expect(readFileSync(join(dir, TLS_FILES.serverCert), 'utf8')).toBe(renewed.server.certPem);
  });

  it('a box with a new address gets a server certificate naming it; the CA is kept', async () => {
    const first = await ensure(now);
    const moved = { ...names, ips: ['127.0.0.1', '192.168.1.77', '::1'] };
    const renewed = await ensure(now + DAY_MS, moved);
    expect(renewed.made).toEqual(['issued the server certificate: it does not name 192.168.1.77']);
    expect(renewed.ca).toEqual(first.ca);
    expect(certificateFacts(renewed.server.certPem).names).toEqual(moved);
  });

  it('a damaged server certificate is simply issued again', async () => {
    const first = await ensure(now);
    writeFileSync(join(dir, TLS_FILES.serverCert), 'not a certificate');
    const repaired = await ensure(now);
    expect(repaired.made).toEqual(['issued the server certificate: there is none yet']);
    expect(repaired.ca).toEqual(first.ca);
  });

  it('a damaged CA stops the start with one line instead of silently making a new one', async () => {
    await ensure(now);
    const ca = readFileSync(join(dir, TLS_FILES.caCert), 'utf8');
    writeFileSync(join(dir, TLS_FILES.caKey), readFileSync(join(dir, TLS_FILES.serverKey)));
    const failure = ensure(now);
    await expect(failure).rejects.toThrow(StartupError);
    await expect(failure).rejects.toThrow(/^the clinic CA in .* is damaged[^\n]*$/);
    expect(readFileSync(join(dir, TLS_FILES.caCert), 'utf8')).toBe(ca);
  });
});
