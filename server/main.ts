import { defaultBoxLimits } from './alarms/box-conditions.ts';
import { startServer } from './app.ts';
import { readConfig } from './config.ts';
import { CLINIC_CA_PATH } from './protocol/tls.ts';
import { createLogger } from './log.ts';
import { WEB_BUILD } from './paths.ts';
import { runMain } from './startup-error.ts';

await runMain('stipple', async () => {
  const config = readConfig();
  const log = createLogger(config.LOG_LEVEL);
  const server = await startServer({
    dataDir: config.STIPPLE_DATA_DIR,
    port: config.PORT,
    host: config.HOST,
    adminToken: config.STIPPLE_ADMIN_TOKEN,
    metricsToken: config.STIPPLE_METRICS_TOKEN,
    telemetryRetentionDays: config.STIPPLE_TELEMETRY_DAYS,
    timeScale: config.STIPPLE_TIME_SCALE,
    backupDir: config.STIPPLE_BACKUP_DIR,
    backups: { nightlyAt: config.STIPPLE_BACKUP_AT === 'off' ? null : config.STIPPLE_BACKUP_AT },
    alarms: { box: { ...defaultBoxLimits, minFreeBytes: config.STIPPLE_DISK_MIN_FREE_MB * 1024 ** 2, minFreePercent: config.STIPPLE_DISK_MIN_FREE_PERCENT } },
    log,
    webRoot: WEB_BUILD,
    tls:
      config.STIPPLE_TLS === 'on'
        ? {
            httpsPort: config.STIPPLE_HTTPS_PORT,
            extraNames: config.STIPPLE_TLS_NAMES,
            supplied: config.STIPPLE_TLS_CERT && config.STIPPLE_TLS_KEY ? { certFile: config.STIPPLE_TLS_CERT, keyFile: config.STIPPLE_TLS_KEY } : undefined,
          }
        : undefined,
  });

  if (server.generatedAdminToken) {
    // Shown this once; only its hash is stored. Integrations and scripts use it as a Bearer token.
    process.stdout.write(`\nAdmin token (save it now, it is not shown again): ${server.generatedAdminToken}\n\n`);
  }
  process.stdout.write(`Stipple is running at ${server.url}\n`);
  if (server.httpsUrl && server.clinicCa) {
    // Plain HTTP stays for this machine itself; the clinic network is sent to HTTPS.
    process.stdout.write(`HTTPS for tablets and handpieces at ${server.httpsUrl}; they trust the clinic CA from ${CLINIC_CA_PATH} (SHA-256 ${server.clinicCa.fingerprint})\n`);
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'shutting down');
      void server.close().then(() => process.exit(0));
    });
  }
});
