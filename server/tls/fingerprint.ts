import { createHash, X509Certificate } from 'node:crypto';

/** The SHA-256 fingerprint of a certificate as settings screens and handpiece set-up show it: "AB:12:…". */
export function certificateFingerprint(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

/** The base64 SHA-256 of a certificate's public key (SPKI): the form Chromium's pin list takes. */
export function publicKeyPin(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}
