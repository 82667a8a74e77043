import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError } from '../startup-error.ts';
import {
  certificateFacts,
  createClinicCa,
  issuedBy,
  issueServerCertificate,
  keyMatches,
  type CertificateWithKey,
} from './certificates.ts';
import type { BoxNames } from './names.ts';
import { caDue, serverCertificateRenewal } from './renewal.ts';

/** The files in `<data dir>/tls/`. Only the two keys are secret. */
export const TLS_FILES = {
  caCert: 'clinic-ca.pem',
  caKey: 'clinic-ca.key',
  serverCert: 'server.pem',
  serverKey: 'server.key',
} as const;

export interface ClinicCertificates {
  ca: CertificateWithKey;
  server: CertificateWithKey;
  /** What was made at this call and why, for the log; empty when the files were good as they were. */
  made: string[];
}

export interface ClinicCaOptions {
  dir: string;
  /** What the server certificate must name. */
  names: BoxNames;
  now: number;
  /** Tells this clinic's CA from another's in a tablet's certificate list (the box's host name). */
  label: string;
}

/** Written whole or not at all (a power cut mid-write must not leave half a key), with its mode from the start. */
function writeAtomically(file: string, text: string, mode: number): void {
  const partial = `${file}.partial`;
  writeFileSync(partial, text, { mode });
  chmodSync(partial, mode);
  renameSync(partial, file);
}

function readPair(dir: string, certFile: string, keyFile: string): CertificateWithKey | 'missing' | 'damaged' {
  const certPath = join(dir, certFile);
  const keyPath = join(dir, keyFile);
  if (!existsSync(certPath) && !existsSync(keyPath)) return 'missing';
  try {
    const pair = { certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8') };
    return keyMatches(pair.certPem, pair.keyPem) ? pair : 'damaged';
  } catch {
    return 'damaged';
  }
}

/**
 * The clinic CA and the box's server certificate, made at first start and kept in `dir`: the CA
 * for ten years, the server certificate issued again when it nears its end or the box's names
 * change. A damaged CA stops the start: making a new one silently would cut off every tablet and
 * handpiece that trusts the old one.
 */
export async function ensureClinicCertificates(options: ClinicCaOptions): Promise<ClinicCertificates> {
  const { dir, names, now } = options;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const made: string[] = [];

  let ca = readPair(dir, TLS_FILES.caCert, TLS_FILES.caKey);
  if (ca === 'damaged') {
    throw new StartupError(
      `the clinic CA in ${dir} is damaged (${TLS_FILES.caCert} and ${TLS_FILES.caKey} do not make a pair): restore them from a backup, or delete both to make a new CA that every tablet and handpiece must then trust again`,
    );
  }
  if (ca === 'missing' || caDue(certificateFacts(ca.certPem).notAfter, now)) {
    made.push(ca === 'missing' ? 'made the clinic CA' : 'made a new clinic CA: the old one expires within 30 days; tablets and handpieces must trust the new one');
    ca = await createClinicCa(options.label, now);
    writeAtomically(join(dir, TLS_FILES.caKey), ca.keyPem, 0o600);
    writeAtomically(join(dir, TLS_FILES.caCert), ca.certPem, 0o644);
  }

  const existing = readPair(dir, TLS_FILES.serverCert, TLS_FILES.serverKey);
  // A damaged server certificate costs nothing to replace: only the CA is trusted by anyone.
  const current = typeof existing === 'string' ? undefined : existing;
  const reason = serverCertificateRenewal(
    current && { ...certificateFacts(current.certPem), byCurrentCa: issuedBy(current.certPem, ca.certPem) },
    names,
    now,
  );
  if (current && !reason) return { ca, server: current, made };
  made.push(`issued the server certificate: ${reason}`);
  const server = await issueServerCertificate(ca, names, now);
  writeAtomically(join(dir, TLS_FILES.serverKey), server.keyPem, 0o600);
  writeAtomically(join(dir, TLS_FILES.serverCert), server.certPem, 0o644);
  return { ca, server, made };
}
