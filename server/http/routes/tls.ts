import { Hono, type Handler } from 'hono';
import type { TlsView } from '../../protocol/tls.ts';
import type { ServedTls } from '../../tls/clinic-tls.ts';
import type { AppEnv } from '../caller-auth.ts';
import { notFound } from '../errors.ts';

/** `GET /api/tls` (staff): what the setup page shows about HTTPS and the clinic CA. */
export function tlsRoutes(tls: ServedTls | undefined) {
  return new Hono<AppEnv>().get('/', (c) => {
    if (!tls) return c.json({ enabled: false } satisfies TlsView);
    const m = tls.material;
    return c.json({
      enabled: true,
      clinicSupplied: m.clinicSupplied,
      httpsPort: tls.httpsPort,
      httpPort: tls.httpPort,
      ca: { subject: m.caSubject, fingerprint: m.caFingerprint, notAfter: m.caNotAfter },
      server: { names: [...m.serverNames.dns, ...m.serverNames.ips], notAfter: m.serverNotAfter },
    } satisfies TlsView);
  });
}

/**
 * The clinic CA as a file a tablet offers to install: `.crt` is the name iPadOS, Android and
 * Chrome OS all take for a PEM certificate. Public: it is a certificate, not a secret.
 */
export function clinicCaDownload(tls: ServedTls | undefined): Handler {
  return (c) => {
    if (!tls) return notFound(c);
    return c.body(tls.material.caPem, 200, {
      'content-type': 'application/x-x509-ca-cert',
      'content-disposition': 'attachment; filename="stipple-clinic-ca.crt"',
      'cache-control': 'no-cache',
    });
  };
}
