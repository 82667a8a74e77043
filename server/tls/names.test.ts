import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { boxNames, missingNames } from './names.ts';

const iface = (address: string, internal = false): NetworkInterfaceInfo =>
  address.includes(':')
    ? { address, internal, family: 'IPv6', netmask: 'ffff:ffff:ffff:ffff::', mac: '00:00:00:00:00:00', cidr: null, scopeid: 0 }
    : { address, internal, family: 'IPv4', netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: null };

describe('the box\'s names', () => {
  it('are its host name, its .local name, localhost, loopback and every address on a real interface', () => {
    const names = boxNames('Stipple-Box', {
      lo: [iface('127.0.0.1', true), iface('::1', true)],
      eth0: [iface('192.168.1.20'), iface('FE80:0:0:0:0:0:0:1')],
    });
    expect(names).toEqual({
      dns: ['localhost', 'stipple-box', 'stipple-box.local'],
      ips: ['127.0.0.1', '192.168.1.20', '::1', 'fe80::1'],
    });
  });

  it('take the clinic\'s extra names and addresses, sorted into their kind, without repeats', () => {
    const names = boxNames('box.clinic.example', {}, [' smp.clinic.example ', '10.0.0.5', '', 'LOCALHOST', '::0:1']);
    expect(names.dns).toEqual(['box.clinic.example', 'localhost', 'smp.clinic.example']);
    expect(names.ips).toEqual(['10.0.0.5', '127.0.0.1', '::1']);
  });

  it('a certificate lacks the ones it does not name, whatever their spelling', () => {
    const served = boxNames('box', { eth0: [iface('192.168.1.20')] });
    expect(missingNames(served, { dns: ['BOX', 'localhost'], ips: ['::0:0:1', '192.168.1.20'] })).toEqual([]);
    expect(missingNames(served, boxNames('box', { eth0: [iface('192.168.1.21')] }))).toEqual(['192.168.1.21']);
    expect(missingNames(served, boxNames('new-name', {}))).toEqual(['new-name', 'new-name.local']);
  });
});
