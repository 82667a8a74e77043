import { DAY_MS } from '../protocol/days.ts';
import { missingNames, type BoxNames } from './names.ts';

/** A certificate is replaced this long before it expires, so that no tablet ever meets an expired one. */
export const RENEW_WITHIN_MS = 30 * DAY_MS;

/** Why the server certificate must be issued again, or undefined when it is good. */
export function serverCertificateRenewal(
  current: { notAfter: number; names: BoxNames; byCurrentCa: boolean } | undefined,
  wanted: BoxNames,
  now: number,
): string | undefined {
  if (!current) return 'there is none yet';
  if (!current.byCurrentCa) return 'it was not issued by the clinic CA';
  if (current.notAfter - now < RENEW_WITHIN_MS) return 'it expires within 30 days';
  // A name the box no longer has stays until the yearly renewal: it is harmless, and an address
  // gone for a moment (Wi-Fi reconnecting at boot) must not be dropped from the certificate.
  const missing = missingNames(current.names, wanted);
  return missing.length > 0 ? `it does not name ${missing.join(', ')}` : undefined;
}

/** The clinic CA is made again only when it is about to expire: every tablet and handpiece must then trust the new one. */
export function caDue(caNotAfter: number, now: number): boolean {
  return caNotAfter - now < RENEW_WITHIN_MS;
}
