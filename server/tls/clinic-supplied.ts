import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { StartupError } from '../startup-error.ts';
import { x509 } from './x509.ts';

/** A certificate chain and key the clinic brings (STIPPLE_TLS_CERT, STIPPLE_TLS_KEY), used instead of the clinic CA. */
export interface SuppliedCertificate {
  /** The server certificate alone. */
  certPem: string;
  /** The server certificate first, then whatever issuers the file holds. */
  chainPem: string;
  keyPem: string;
  /** The last certificate of the chain: what tablets install and handpieces pin. */
  caPem: string;
}

function read(setting: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : 'it cannot be read';
    throw new StartupError(`${setting} ${file}: ${why}`);
  }
}

function certificates(file: string, text: string): X509Certificate[] {
  try {
    const blocks = x509.PemConverter.decodeWithHeaders(text).filter((b) => b.type === 'CERTIFICATE');
    if (blocks.length > 0) return blocks.map((b) => new X509Certificate(Buffer.from(b.rawData)));
  } catch {
    // falls through to the one message below
  }
  throw new StartupError(`STIPPLE_TLS_CERT ${file}: holds no PEM certificate`);
}

function privateKey(file: string, text: string): KeyObject {
  try {
    return createPrivateKey(text);
  } catch {
    throw new StartupError(`STIPPLE_TLS_KEY ${file}: holds no unencrypted PEM private key`);
  }
}

/** Reads and checks the clinic's own certificate and key; anything wrong is one line naming the file. */
export function loadSuppliedCertificate(certFile: string, keyFile: string): SuppliedCertificate {
  const chain = certificates(certFile, read('STIPPLE_TLS_CERT', certFile));
  const keyPem = read('STIPPLE_TLS_KEY', keyFile);
  const key = privateKey(keyFile, keyPem);
  const leaf = chain[0]!;
  if (!leaf.checkPrivateKey(key)) throw new StartupError(`STIPPLE_TLS_KEY ${keyFile}: is not the key of the certificate in ${certFile}`);
  return { certPem: leaf.toString(), chainPem: chain.map((c) => c.toString()).join(''), keyPem, caPem: chain.at(-1)!.toString() };
}
