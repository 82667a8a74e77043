import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../log.ts';
import { certificateFacts } from './certificates.ts';
import { ensureClinicCertificates } from './clinic-ca.ts';
import { loadSuppliedCertificate } from './clinic-supplied.ts';
import { certificateFingerprint } from './fingerprint.ts';
import type { BoxNames } from './names.ts';
import { RENEW_WITHIN_MS, serverCertificateRenewal } from './renewal.ts';

/** A new address from the clinic's router is in the certificate within a minute. */
const RENEWAL_CHECK_MS = 60_000;

/** How the server serves HTTPS (ServerOptions.tls). */
export interface TlsOptions {
  /** The HTTPS port; 0 picks a free one (read it back from RunningServer.httpsPort). */
  httpsPort: number;
  /** Where the clinic CA and the server certificate are kept; default `<data dir>/tls`. */
  dir?: string;
  /** Names and addresses for the server certificate besides the box's own (STIPPLE_TLS_NAMES). */
  extraNames?: readonly string[];
  /** The clinic's own certificate chain and key files, used instead of the clinic CA (STIPPLE_TLS_CERT, STIPPLE_TLS_KEY). */
  supplied?: { certFile: string; keyFile: string };
}

/** What the HTTPS listener serves, and what tablets and handpieces are told to trust. */
export interface TlsMaterial {
  /** The server certificate, then its issuers, PEM. */
  cert: string;
  key: string;
  /** The CA certificate tablets install and handpieces pin. */
  caPem: string;
  caSubject: string;
  caFingerprint: string;
  caNotAfter: number;
  serverNames: BoxNames;
  serverNotAfter: number;
  /** The clinic brought its own certificate (STIPPLE_TLS_CERT): Stipple neither makes nor renews it. */
  clinicSupplied: boolean;
}

export interface ClinicTlsDeps {
  /** Wall-clock time: certificates must be dated by the real clock, never the accelerated demo clock. */
  now: () => number;
  /** The box's names and addresses as they are now. */
  names: () => BoxNames;
  log: Logger;
}

/** What the HTTP routes show of the TLS set-up; read per request, since the certificate is renewed while running. */
export interface ServedTls {
  readonly material: TlsMaterial;
  readonly httpsPort: number;
  /** The plain-HTTP port, where a tablet fetches the CA before it trusts HTTPS. */
  readonly httpPort: number;
}

/**
 * The TLS set-up of a running server: the clinic's own certificate, or the clinic CA with a
 * server certificate kept fresh while the server runs (a new address from the clinic's router,
 * the yearly renewal) without a restart.
 */
export class ClinicTls implements ServedTls {
  #material: TlsMaterial;
  /** Set once the listeners are up (a test's port 0 becomes a real one). */
  httpsPort = 0;
  httpPort = 0;

  private constructor(
    private readonly dir: string | undefined,
    private readonly deps: ClinicTlsDeps,
    material: TlsMaterial,
  ) {
    this.#material = material;
  }

  static async start(options: TlsOptions, dataDir: string, deps: ClinicTlsDeps): Promise<ClinicTls> {
    if (options.supplied) {
      const supplied = loadSuppliedCertificate(options.supplied.certFile, options.supplied.keyFile);
      const facts = certificateFacts(supplied.certPem);
      const ca = certificateFacts(supplied.caPem);
      if (facts.notAfter - deps.now() < RENEW_WITHIN_MS) {
        deps.log.warn({ notAfter: new Date(facts.notAfter).toISOString() }, 'the clinic\'s TLS certificate (STIPPLE_TLS_CERT) expires within 30 days: replace it');
      }
      return new ClinicTls(undefined, deps, {
        cert: supplied.chainPem,
        key: supplied.keyPem,
        caPem: supplied.caPem,
        caSubject: ca.subject,
        caFingerprint: certificateFingerprint(supplied.caPem),
        caNotAfter: ca.notAfter,
        serverNames: facts.names,
        serverNotAfter: facts.notAfter,
        clinicSupplied: true,
      });
    }
    const dir = options.dir ?? join(dataDir, 'tls');
    return new ClinicTls(dir, deps, await clinicCaMaterial(dir, deps));
  }

  get material(): TlsMaterial {
    return this.#material;
  }

  /**
   * Checks every `intervalMs` whether the server certificate is due and issues it again, handing
   * the new one to `apply` (the HTTPS listener); returns the function that stops the checks.
   */
  keepFresh(apply: (material: TlsMaterial) => void, intervalMs = RENEWAL_CHECK_MS): () => void {
    let busy = false; // one renewal at a time: a slow disk must not have two write the same files
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      this.refresh()
        .then(
          (renewed) => renewed && apply(this.#material),
          (err: unknown) => this.deps.log.error({ err }, 'could not renew the TLS server certificate; the current one stays'),
        )
        .finally(() => (busy = false));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Issues the server certificate again when it is due; resolves true when it did (the listener must then take it). */
  async refresh(): Promise<boolean> {
    if (!this.dir) return false;
    const { serverNotAfter, serverNames } = this.#material;
    const due = serverCertificateRenewal({ notAfter: serverNotAfter, names: serverNames, byCurrentCa: true }, this.deps.names(), this.deps.now());
    if (!due) return false;
    this.#material = await clinicCaMaterial(this.dir, this.deps);
    return true;
  }
}

async function clinicCaMaterial(dir: string, deps: ClinicTlsDeps): Promise<TlsMaterial> {
  const { ca, server, made } = await ensureClinicCertificates({ dir, names: deps.names(), now: deps.now(), label: hostname() });
  for (const step of made) deps.log.info({ dir }, step);
  const facts = certificateFacts(server.certPem);
  const caFacts = certificateFacts(ca.certPem);
  return {
    // The CA travels with the server certificate: a client that pins it sees it in the chain.
    cert: server.certPem + ca.certPem,
    key: server.keyPem,
    caPem: ca.certPem,
    caSubject: caFacts.subject,
    caFingerprint: certificateFingerprint(ca.certPem),
    caNotAfter: caFacts.notAfter,
    serverNames: facts.names,
    serverNotAfter: facts.notAfter,
    clinicSupplied: false,
  };
}
