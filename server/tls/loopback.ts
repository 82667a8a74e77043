import { isIPv4 } from 'node:net';

/**
 * The caller is this box itself (127.0.0.0/8, ::1, or IPv4 loopback written as IPv6): its
 * traffic never leaves the machine, so plain HTTP is safe for it.
 */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.toLowerCase().startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIPv4(v4)) return v4.startsWith('127.');
  return address === '::1' || address === '0:0:0:0:0:0:0:1';
}
