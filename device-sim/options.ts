import { Command, InvalidArgumentError, Option } from 'commander';
import { SCENARIOS, type Scenario } from './simulator.ts';

function positive(kind: 'int' | 'number') {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || (kind === 'int' && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`expected a positive ${kind === 'int' ? 'whole number' : 'number'}`);
    }
    return n;
  };
}

export interface StreamOptions {
  chairs: number;
  speed: number;
  seed: number;
  scenario: Scenario;
  telHz: number;
}

/** The options that shape the simulated stream, shared by the simulator CLI and the demo. */
export function withStreamOptions(command: Command): Command {
  return command
    .option('--chairs <n>', 'how many chairs (one handpiece each)', positive('int'), 4)
    .option('--speed <factor>', 'time acceleration: 60 plays an hour in a minute', positive('number'), 1)
    .option('--seed <n>', 'same seed, same stream', positive('int'), 1)
    .addOption(new Option('--scenario <name>', 'what the operators do').choices(SCENARIOS).default('steady'))
    .option('--tel-hz <n>', 'telemetry samples per second per handpiece', positive('number'), 10);
}
