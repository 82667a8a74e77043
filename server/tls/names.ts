import { isIP } from 'node:net';
import { hostname, networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

/** The names and addresses a tablet or handpiece may use to reach the box: the server certificate's subject alternative names. */
export interface BoxNames {
  dns: string[];
  ips: string[];
}

/** One spelling per address, as the certificate will read back (IPv6 compressed, lower case). */
export function canonicalIp(ip: string): string {
  return isIP(ip) === 6 ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;
}

function canonicalDns(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * The box's names: its host name (and the `.local` name tablets find it by over mDNS),
 * `localhost`, the loopback addresses, every address on a real interface, and whatever extra
 * names or addresses the clinic lists (STIPPLE_TLS_NAMES). Sorted and without repeats.
 */
export function boxNames(host: string, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>, extra: readonly string[] = []): BoxNames {
  const dns = new Set<string>(['localhost']);
  const ips = new Set<string>(['127.0.0.1', '::1']);
  const add = (name: string) => {
    const trimmed = name.trim();
    if (trimmed === '') return;
    if (isIP(trimmed)) ips.add(canonicalIp(trimmed));
    else dns.add(canonicalDns(trimmed));
  };
  const shortHost = canonicalDns(host);
  if (shortHost) add(shortHost);
  if (shortHost && !shortHost.includes('.')) add(`${shortHost}.local`);
  for (const info of Object.values(interfaces).flat()) {
    if (info && !info.internal) add(info.address);
  }
  for (const name of extra) add(name);
  return { dns: [...dns].sort(), ips: [...ips].sort() };
}

/** The names and addresses in `wanted` that a certificate for `served` does not cover. */
export function missingNames(served: BoxNames, wanted: BoxNames): string[] {
  const dns = new Set(served.dns.map(canonicalDns));
  const ips = new Set(served.ips.map(canonicalIp));
  return [...wanted.dns.filter((n) => !dns.has(canonicalDns(n))), ...wanted.ips.filter((ip) => !ips.has(canonicalIp(ip)))];
}

/** This box's names right now; addresses change when the clinic's router hands out new ones. */
export function currentBoxNames(extra: readonly string[] = []): BoxNames {
  return boxNames(hostname(), networkInterfaces(), extra);
}
