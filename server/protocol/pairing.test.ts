import { describe, expect, it } from 'vitest';
import { pairingCode, pairingCodeText, pairingServer } from './pairing.ts';
import type { TlsView } from './tls.ts';

const paired = { id: 'dv_Yt3kQ0aZp1xB', token: 'tok-0123456789', chairId: 'ch_1', name: 'Handpiece 1' };
const https: TlsView = {
  enabled: true,
  clinicSupplied: false,
  httpsPort: 8443,
  httpPort: 8080,
  ca: { subject: 'CN=Stipple clinic CA', fingerprint: 'AB:CD', notAfter: 0 },
  server: { names: ['localhost', '127.0.0.1', '::1', 'fe80::1', 'edge-box.local', '192.168.1.20'], notAfter: 0 },
};
const page = (url: string) => new URL(url);

describe('the pairing code', () => {
  it('carries the server, device id and token, and the CA to pin only when there is one', () => {
    expect(pairingCode.parse(JSON.parse(pairingCodeText(paired, 'http://127.0.0.1:8080')))).toEqual({
      stipple: 'pairing', v: 1, server: 'http://127.0.0.1:8080', deviceId: paired.id, token: paired.token,
    });
    const pinned = pairingCode.parse(JSON.parse(pairingCodeText({ ...paired, caFingerprint: 'AB:CD' }, 'https://edge-box.local:8443')));
    expect(pinned.caFingerprint).toBe('AB:CD');
  });

  it('names the server as the page reached it over HTTPS', () => {
    expect(pairingServer(page('https://192.168.1.20:8443/setup'), https)).toBe('https://192.168.1.20:8443');
  });

  it('on the box itself over plain HTTP, names the box on the clinic network and its HTTPS port', () => {
    expect(pairingServer(page('http://127.0.0.1:8080/setup'), https)).toBe('https://edge-box.local:8443');
    expect(pairingServer(page('http://localhost:8080/setup'), { ...https, server: { names: ['localhost', 'fd00::7'], notAfter: 0 } })).toBe('https://[fd00::7]:8443');
  });

  it('with HTTPS off, names the server as the page reached it (plain HTTP, or the clinic\'s own TLS proxy)', () => {
    expect(pairingServer(page('http://127.0.0.1:8080/setup'), { enabled: false })).toBe('http://127.0.0.1:8080');
    expect(pairingServer(page('https://stipple.clinic.example/setup'), { enabled: false })).toBe('https://stipple.clinic.example');
  });
});
