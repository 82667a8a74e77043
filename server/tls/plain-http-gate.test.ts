import { describe, expect, it } from 'vitest';
import { plainHttpAnswer } from './plain-http-gate.ts';

const get = (url: string, headers: Record<string, string> = {}) => new Request(url, { headers });
const upgrade = { upgrade: 'websocket', connection: 'Upgrade' };

describe('plain HTTP while HTTPS is on', () => {
  it('serves the box itself as before, sockets included', () => {
    expect(plainHttpAnswer(get('http://localhost:8080/api/chairs'), '127.0.0.1', 8443)).toBeUndefined();
    expect(plainHttpAnswer(get('http://[::1]:8080/ws/device', upgrade), '::1', 8443)).toBeUndefined();
    expect(plainHttpAnswer(get('http://localhost:8080/', upgrade), '::ffff:127.0.0.1', 8443)).toBeUndefined();
  });

  it('sends anyone else to the same host name, path and query on the HTTPS port, keeping the method (308)', () => {
    const answer = plainHttpAnswer(get('http://stipple-box.local:8080/chairs/ch_1?view=map'), '192.168.1.31', 8443);
    expect(answer?.status).toBe(308);
    expect(answer?.headers.get('location')).toBe('https://stipple-box.local:8443/chairs/ch_1?view=map');
    const v6 = plainHttpAnswer(get('http://[fd00::5]:8080/'), 'fd00::9', 8443);
    expect(v6?.headers.get('location')).toBe('https://[fd00::5]:8443/');
    const standardPort = plainHttpAnswer(get('http://10.0.0.2/sign-in'), '10.0.0.3', 443);
    expect(standardPort?.headers.get('location')).toBe('https://10.0.0.2/sign-in');
  });

  it('serves the clinic CA to anyone, since a tablet needs it before it trusts HTTPS', () => {
    expect(plainHttpAnswer(get('http://10.0.0.2:8080/clinic-ca.pem'), '10.0.0.3', 8443)).toBeUndefined();
  });

  it('refuses a WebSocket from anyone else, naming the wss:// address to use', async () => {
    const answer = plainHttpAnswer(get('http://10.0.0.2:8080/ws/device', upgrade), '10.0.0.3', 8443);
    expect(answer?.status).toBe(403);
    expect(((await answer!.json()) as { error: { message: string } }).error.message).toContain('wss://10.0.0.2:8443/ws/device');
  });
});
