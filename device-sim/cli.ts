import { Command, InvalidArgumentError } from 'commander';
import { readFileSync } from 'node:fs';
import { withStreamOptions, type StreamOptions } from './options.ts';
import { showProgress } from './progress.ts';
import { Simulator } from './simulator.ts';

interface CliOptions extends StreamOptions {
  server: string;
  ca?: string;
  token?: string;
  stateDir: string;
  sessions?: boolean;
  duration?: number;
}

const program = withStreamOptions(
  new Command('stipple-sim').description('Simulated SMP handpieces streaming to a Stipple edge server over protocol v1.'),
)
  .option('--server <url>', 'the edge server: https://<box>:8443 from elsewhere, http://localhost:8080 on the box itself', 'http://localhost:8080')
  .option('--ca <pem file>', 'the clinic CA (from /clinic-ca.pem): the only issuer trusted for https:// and wss://', (file) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      throw new InvalidArgumentError(`cannot read ${file}`);
    }
  })
  .option('--token <token>', 'admin token for provisioning (default: $STIPPLE_ADMIN_TOKEN)')
  .option('--state-dir <dir>', 'device credentials and unacknowledged messages, kept across restarts', './data/sim')
  .option('--sessions', 'start a session on every chair that has none')
  .option('--duration <seconds>', 'stop after this many seconds', (v) => {
    const n = Number(v);
    if (!(n > 0)) throw new InvalidArgumentError('expected a positive number of seconds');
    return n;
  })
  .parse();

const options = program.opts<CliOptions>();
const adminToken = options.token ?? process.env.STIPPLE_ADMIN_TOKEN;
if (!adminToken) {
  console.error('stipple-sim: an admin token is needed: --token <token> or STIPPLE_ADMIN_TOKEN');
  process.exit(2);
}

const simulator = await Simulator.start({
  serverUrl: options.server,
  ca: options.ca,
  adminToken,
  chairs: options.chairs,
  speed: options.speed,
  seed: options.seed,
  scenario: options.scenario,
  telHz: options.telHz,
  stateDir: options.stateDir,
  startSessions: options.sessions ?? false,
  // An accelerated stream carries the simulated time: run the server at the same speed (STIPPLE_TIME_SCALE).
  deviceClock: options.speed === 1 ? 'wall' : 'virtual',
});
process.stdout.write(`Simulating ${options.chairs} handpiece(s) against ${options.server} (Ctrl-C to stop)\n`);
const stopProgress = showProgress(simulator);

const stop = async () => {
  stopProgress();
  await simulator.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
if (options.duration) setTimeout(() => void stop(), options.duration * 1000);
