// The Reflect shim must run before @peculiar/x509 loads tsyringe: keep this import first.
import './reflect-metadata.ts';
import { webcrypto } from 'node:crypto';

// Loaded dynamically: in the bundled server (dist/), static imports of packages are hoisted above
// the shim, and tsyringe would refuse to load.
const x509 = await import('@peculiar/x509');

/** @peculiar/x509 signing and hashing with Node's own WebCrypto. Import x509 from here, never directly. */
x509.cryptoProvider.set(webcrypto as Crypto);

export { x509 };
