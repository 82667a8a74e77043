import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../protocol/days.ts';
import { caDue, serverCertificateRenewal } from './renewal.ts';

const now = Date.UTC(2026, 5, 1);
const names = { dns: ['box', 'localhost'], ips: ['127.0.0.1', '192.168.1.20'] };
const good = { notAfter: now + 200 * DAY_MS, names, byCurrentCa: true };

describe('when the server certificate is issued again', () => {
  it('never while it has over 30 days left, names the same box and comes from the clinic CA', () => {
    expect(serverCertificateRenewal(good, names, now)).toBeUndefined();
    expect(serverCertificateRenewal({ ...good, notAfter: now + 31 * DAY_MS }, names, now)).toBeUndefined();
  });

  it('when there is none, when it has under 30 days left, or when it is past its end', () => {
    expect(serverCertificateRenewal(undefined, names, now)).toMatch(/none/);
    expect(serverCertificateRenewal({ ...good, notAfter: now + 29 * DAY_MS }, names, now)).toMatch(/30 days/);
    expect(serverCertificateRenewal({ ...good, notAfter: now - DAY_MS }, names, now)).toMatch(/30 days/);
  });

  it('when the box has a name or address it does not name, but not for one the box lost', () => {
    expect(serverCertificateRenewal(good, { ...names, ips: ['127.0.0.1', '192.168.1.20', '10.0.0.9'] }, now)).toBe('it does not name 10.0.0.9');
    expect(serverCertificateRenewal(good, { ...names, ips: ['127.0.0.1'] }, now)).toBeUndefined();
  });

  it('when another CA issued it', () => {
    expect(serverCertificateRenewal({ ...good, byCurrentCa: false }, names, now)).toMatch(/clinic CA/);
  });
});

describe('when the clinic CA is made again', () => {
  it('only in its last 30 days', () => {
    expect(caDue(now + 31 * DAY_MS, now)).toBe(false);
    expect(caDue(now + 29 * DAY_MS, now)).toBe(true);
  });
});
