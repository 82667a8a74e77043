import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const unit = `${root}deploy/stipple.service`;

describe('the systemd service', () => {
  it('passes systemd-analyze verify', () => {
    // Throws (and fails the test) with systemd's own words when the unit is wrong.
    execFileSync('systemd-analyze', ['verify', unit], { stdio: 'pipe' });
  });

  it('restarts itself, runs as its own user, and may write only its data and backup folders', () => {
    const text = readFileSync(unit, 'utf8');
    for (const line of [
      'User=stipple', 'Restart=always', 'NoNewPrivileges=yes', 'ProtectSystem=strict',
      'ReadWritePaths=/var/lib/stipple /var/backups/stipple', 'ExecStart=/usr/bin/node --enable-source-maps /opt/stipple/dist/main.js',
    ]) expect(text.split('\n')).toContain(line);
  });

  it('its install script is valid shell', () => {
    execFileSync('bash', ['-n', `${root}deploy/install.sh`], { stdio: 'pipe' });
  });
});
