import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StartupError } from '../startup-error.ts';
import { createClinicCa, issueServerCertificate } from './certificates.ts';
import { loadSuppliedCertificate } from './clinic-supplied.ts';

const names = { dns: ['localhost', 'smp.clinic.example'], ips: ['127.0.0.1'] };
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stipple-supplied-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function clinicFiles() {
  const ca = await createClinicCa('the clinic\'s IT', Date.now());
  const server = await issueServerCertificate(ca, names, Date.now());
  const certFile = join(dir, 'chain.pem');
  const keyFile = join(dir, 'key.pem');
  writeFileSync(certFile, server.certPem + ca.certPem);
  writeFileSync(keyFile, server.keyPem);
  return { ca, server, certFile, keyFile };
}

function refusal(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(StartupError);
    const message = (error as StartupError).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a StartupError');
}

describe('a certificate the clinic supplies', () => {
  it('is served as its chain, with the chain\'s last certificate as the CA to trust', async () => {
    const { ca, server, certFile, keyFile } = await clinicFiles();
    const supplied = loadSuppliedCertificate(certFile, keyFile);
    expect(supplied.certPem.trim()).toBe(server.certPem.trim());
    expect(supplied.caPem.trim()).toBe(ca.certPem.trim());
    expect(supplied.chainPem).toContain(supplied.certPem);
    expect(supplied.keyPem).toBe(server.keyPem);
  });

  it('stops the start with one line naming the setting and file when a file is missing', async () => {
    const { keyFile } = await clinicFiles();
    expect(refusal(() => loadSuppliedCertificate(join(dir, 'nope.pem'), keyFile))).toBe(`STIPPLE_TLS_CERT ${join(dir, 'nope.pem')}: there is no such file`);
  });

  it('stops the start with one line when the file holds no certificate or no key', async () => {
    const { certFile, keyFile } = await clinicFiles();
    writeFileSync(join(dir, 'junk'), 'hello');
    expect(refusal(() => loadSuppliedCertificate(join(dir, 'junk'), keyFile))).toMatch(/^STIPPLE_TLS_CERT .*junk: holds no PEM certificate$/);
    expect(refusal(() => loadSuppliedCertificate(certFile, join(dir, 'junk')))).toMatch(/^STIPPLE_TLS_KEY .*junk: holds no unencrypted PEM private key$/);
  });

  it('stops the start with one line when the key is not the certificate\'s', async () => {
    const { ca, certFile } = await clinicFiles();
    writeFileSync(join(dir, 'other.key'), ca.keyPem);
    expect(refusal(() => loadSuppliedCertificate(certFile, join(dir, 'other.key')))).toMatch(/other\.key: is not the key of the certificate in .*chain\.pem$/);
  });
});
