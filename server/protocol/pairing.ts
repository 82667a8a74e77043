/**
 * The pairing code: what the QR code on the setup page carries, so that a handpiece's companion
 * app takes the server, its device id and token (and the clinic CA to pin) from one scan instead
 * of typing them. docs/protocol.md ("Pairing code") documents it for vendors. The code lives only
 * on the admin's screen: the server keeps the token's hash, never the token or the code.
 */
import { z } from 'zod';
import type { PairedDevice } from './api.ts';
import { networkHosts, type TlsView } from './tls.ts';

export const pairingCode = z.object({
  /** Tells a scanning app that this code is a Stipple pairing. */
  stipple: z.literal('pairing'),
  v: z.literal(1),
  /** The server's base URL; the device socket is `DEVICE_PATH` under it, `wss://` for `https://`. */
  server: z.url(),
  deviceId: z.string().min(1),
  token: z.string().min(1),
  /** SHA-256 fingerprint of the clinic CA to pin; present with HTTPS on. */
  caFingerprint: z.string().optional(),
});
export type PairingCode = z.infer<typeof pairingCode>;

/** The QR code's text: the pairing code as compact JSON. */
export function pairingCodeText(paired: PairedDevice, server: string): string {
  const code: PairingCode = {
    stipple: 'pairing',
    v: 1,
    server,
    deviceId: paired.id,
    token: paired.token,
    ...(paired.caFingerprint !== undefined && { caFingerprint: paired.caFingerprint }),
  };
  return JSON.stringify(code);
}

/**
 * The address a handpiece reaches the server at, worked out from the admin's page: the page's own
 * origin over HTTPS, or with HTTPS off (plain HTTP, or TLS ended at the clinic's proxy, which the
 * page already goes through); on the box itself over plain HTTP, which answers only its own
 * loopback, the box's first network name on the HTTPS port.
 */
export function pairingServer(page: Pick<URL, 'protocol' | 'hostname' | 'origin'>, tls: TlsView): string {
  if (!tls.enabled || page.protocol === 'https:') return page.origin;
  return `https://${networkHosts(tls)[0] ?? page.hostname}:${tls.httpsPort}`;
}
