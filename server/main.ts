import { fileURLToPath } from 'node:url';
import { startServer } from './app.ts';
import { readConfig } from './config.ts';
import { createLogger } from './log.ts';
import { runMain } from './startup-error.ts';

await runMain('stipple', async () => {
  const config = readConfig();
  const log = createLogger(config.LOG_LEVEL);
  const server = await startServer({
    dataDir: config.STIPPLE_DATA_DIR,
    port: config.PORT,
    host: config.HOST,
    adminToken: config.STIPPLE_ADMIN_TOKEN,
    telemetryRetentionDays: config.STIPPLE_TELEMETRY_DAYS,
    timeScale: config.STIPPLE_TIME_SCALE,
    log,
    webRoot: fileURLToPath(new URL('../web/build', import.meta.url)),
  });

  if (server.generatedAdminToken) {
    // Shown this once; only its hash is stored. Integrations and scripts use it as a Bearer token.
    process.stdout.write(`\nAdmin token (save it now, it is not shown again): ${server.generatedAdminToken}\n\n`);
  }
  process.stdout.write(`Stipple is running at ${server.url}\n`);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'shutting down');
      void server.close().then(() => process.exit(0));
    });
  }
});
