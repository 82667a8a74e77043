import { createPrivateKey, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import { DAY_MS } from '../protocol/days.ts';
import { canonicalIp, type BoxNames } from './names.ts';
import { x509 } from './x509.ts';

/** The clinic CA is installed on every tablet and pinned in every handpiece: it lives ten years. */
export const CA_LIFETIME_MS = 3_652 * DAY_MS;
/** About 13 months, under the 398 days Apple devices accept for a TLS server certificate. */
export const SERVER_LIFETIME_MS = 396 * DAY_MS;
/** Dated a little in the past, so that a tablet whose clock lags accepts a certificate made a moment ago. */
const BACKDATE_MS = 3_600_000;

const keyAlgorithm = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** A certificate and its private key, both PEM (the key as PKCS#8). */
export interface CertificateWithKey {
  certPem: string;
  keyPem: string;
}

/** What a certificate says that matters here: who it is, until when, and for which names. */
export interface CertificateFacts {
  subject: string;
  notAfter: number;
  names: BoxNames;
}

/** A positive 128-bit serial: random, so that a renewed certificate never repeats one. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f;
  return bytes.toString('hex');
}

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
}

/** PEM as files hold it, ending in a newline, so that a certificate and its issuer can be put one after the other. */
const pemText = (pem: string) => (pem.endsWith('\n') ? pem : `${pem}\n`);

async function privateKeyPem(key: CryptoKey): Promise<string> {
  return pemText(x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY'));
}

/** Makes the clinic's own certificate authority; `label` tells one clinic's CA from another's on a tablet. */
export async function createClinicCa(label: string, now: number): Promise<CertificateWithKey> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: [{ CN: [`Stipple clinic CA (${label})`] }, { O: ['Stipple'] }],
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + CA_LIFETIME_MS),
    signingAlgorithm,
    keys,
    extensions: [
      // Signs server certificates only, never another CA.
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: pemText(cert.toString('pem')), keyPem: await privateKeyPem(keys.privateKey) };
}

/** Issues the box's TLS server certificate for `names`, signed by the clinic CA, ending no later than the CA. */
export async function issueServerCertificate(ca: CertificateWithKey, names: BoxNames, now: number): Promise<CertificateWithKey> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const signingKey = await webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(ca.keyPem), keyAlgorithm, false, ['sign']);
  const keys = await newKeys();
  const host = names.dns.find((n) => n !== 'localhost') ?? 'localhost';
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: [{ CN: [host] }, { O: ['Stipple'] }],
    // The CA's name as encoded in the CA itself, so that every client chains the two byte for byte.
    issuer: caCert.subjectName,
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(Math.min(now + SERVER_LIFETIME_MS, caCert.notAfter.getTime())),
    signingAlgorithm,
    publicKey: keys.publicKey,
    signingKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...names.dns.map((value) => ({ type: 'dns' as const, value })),
        ...names.ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { certPem: pemText(cert.toString('pem')), keyPem: await privateKeyPem(keys.privateKey) };
}

export function certificateFacts(certPem: string): CertificateFacts {
  const cert = new x509.X509Certificate(certPem);
  const items = cert.getExtension(x509.SubjectAlternativeNameExtension)?.names.items ?? [];
  return {
    subject: cert.subject,
    notAfter: cert.notAfter.getTime(),
    names: {
      dns: items.filter((n) => n.type === 'dns').map((n) => n.value),
      ips: items.filter((n) => n.type === 'ip').map((n) => canonicalIp(n.value)),
    },
  };
}

/** The key belongs to the certificate (a mismatched pair cannot serve TLS). */
export function keyMatches(certPem: string, keyPem: string): boolean {
  return new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
}

/** `certPem` was signed by the CA in `caPem`. */
export function issuedBy(certPem: string, caPem: string): boolean {
  const cert = new X509Certificate(certPem);
  const ca = new X509Certificate(caPem);
  return cert.checkIssued(ca) && cert.verify(ca.publicKey);
}
