import { Command } from 'commander';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../server/app.ts';
import { newToken } from '../server/auth/tokens.ts';
import { readConfig } from '../server/config.ts';
import { createLogger } from '../server/log.ts';
import { StippleApi } from './api-client.ts';
import { addDemoPeople } from './demo-people.ts';
import { withStreamOptions, type StreamOptions } from './options.ts';
import { showProgress } from './progress.ts';
import { Simulator } from './simulator.ts';

/**
 * `npm run demo`: the edge server and simulated handpieces in one process, with a session open on
 * every chair and a demo operator and supervisor to sign in as, so that a newcomer sees Stipple
 * working in one command.
 */
const options = withStreamOptions(
  new Command('stipple-demo').description('Run the Stipple edge server with simulated handpieces.'),
)
  .parse()
  .opts<StreamOptions>();

const config = readConfig();
// A fresh admin token each run unless one is set: the server keeps only its hash, the simulator
// gets it in memory, and it is printed so that the API can be tried by hand.
const adminToken = config.STIPPLE_ADMIN_TOKEN ?? newToken();
const server = await startServer({
  dataDir: config.STIPPLE_DATA_DIR,
  port: config.PORT,
  // Plain HTTP carries the admin token in the clear: the demo stays on this machine. `npm start`
  // serves the clinic network, over HTTPS.
  host: '127.0.0.1',
  adminToken,
  telemetryRetentionDays: config.STIPPLE_TELEMETRY_DAYS,
  // The server's clock keeps pace with the simulated operators, so breaks come when their work says.
  timeScale: options.speed,
  log: createLogger(process.env.LOG_LEVEL ?? 'warn'),
  webRoot: fileURLToPath(new URL('../web/build', import.meta.url)),
});
const { operator, supervisor } = await addDemoPeople(new StippleApi(server.url, adminToken));
const simulator = await Simulator.start({
  serverUrl: server.url,
  adminToken,
  ...options,
  stateDir: join(config.STIPPLE_DATA_DIR, 'sim'),
  startSessions: true,
  deviceClock: options.speed === 1 ? 'wall' : 'virtual',
  // Short steps: an accelerated operator must not fire for long after the server stopped them.
  tickMs: 25,
});

process.stdout.write(
  [
    '',
    `  Stipple is running at ${server.url}  (open it and sign in with the admin token below)`,
    '  Plain HTTP, on this machine only; for tablets on the clinic network use `npm start` (HTTPS).',
    `  ${options.chairs} simulated chair(s) streaming; data in ${config.STIPPLE_DATA_DIR}` +
      (options.speed === 1 ? '' : `; the clock runs ${options.speed}× real time`),
    `  Admin token for this run: ${adminToken}`,
    `  Try: curl -H "Authorization: Bearer ${adminToken}" ${server.url}/api/chairs`,
    `  Or sign in as a person at ${server.url}/sign-in (new each run):`,
    `    ${operator.name}: PIN ${operator.secret}  (tap the name, a chair, then the PIN, as on a tablet)`,
    `    ${supervisor.name}: password ${supervisor.secret}`,
    '  Ctrl-C stops both.',
    '',
    '',
  ].join('\n'),
);
const stopProgress = showProgress(simulator);

const stop = async () => {
  stopProgress();
  await simulator.stop();
  await server.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
