/**
 * HTTPS on the clinic network, as the setup page and integrators see it: where the clinic CA is
 * downloaded and what `GET /api/tls` answers.
 */
import { z } from 'zod';

/** The clinic CA certificate, public and served over plain HTTP too: a tablet needs it before it can trust HTTPS. */
export const CLINIC_CA_PATH = '/clinic-ca.pem';

export const tlsView = z.discriminatedUnion('enabled', [
  // STIPPLE_TLS=off: plain HTTP, TLS ends at the clinic's own proxy if anywhere.
  z.object({ enabled: z.literal(false) }),
  z.object({
    enabled: z.literal(true),
    /** The clinic brought its own certificate (STIPPLE_TLS_CERT); otherwise the clinic CA made on this box. */
    clinicSupplied: z.boolean(),
    httpsPort: z.number(),
    /** Plain HTTP, where a tablet downloads the CA (`CLINIC_CA_PATH`) before it trusts HTTPS. */
    httpPort: z.number(),
    ca: z.object({ subject: z.string(), fingerprint: z.string(), notAfter: z.number() }),
    server: z.object({ names: z.array(z.string()), notAfter: z.number() }),
  }),
]);

export type TlsView = z.infer<typeof tlsView>;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);

/**
 * The box's names another device on the clinic network can reach it by, ready for a URL: no
 * loopback, no link-local IPv6 (that needs an interface name), IPv6 in brackets.
 */
export function networkHosts(view: Extract<TlsView, { enabled: true }>): string[] {
  return view.server.names
    .filter((name) => !LOOPBACK.has(name) && !name.toLowerCase().startsWith('fe80:'))
    .map((name) => (name.includes(':') ? `[${name}]` : name));
}
