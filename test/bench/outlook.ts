/**
 * `npm run bench:outlook`: how well Stipple looks ahead, over more seeded sessions than the tests
 * run: the finish forecast's error and range at 25/50/75 % of the plan, how soon it follows a
 * change of pace, and the fatigue signal's detection and false-sign rates, with the harder variants
 * (a tiring hand that changes evenly over the hour; skin changes the plan does not name).
 * docs/fatigue.md records the figures.
 */
import { fatigueRuns, forecastAccuracy, paceChangeRecovery, seedsFrom, type FatigueRun } from '../helpers/outlook-measures.ts';

const print = (text: string) => process.stdout.write(`${text}\n`);
const percent = (x: number) => `${(x * 100).toFixed(1)} %`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const line = (...cells: Array<string | number>) => print(`| ${cells.join(' | ')} |`);

print('\n## Finish forecast at steady pace (seeds 1–40)\n');
line('made at', 'largest error', 'mean error (absolute)', 'actual finish in the 90 % range');
line('---', '---', '---', '---');
const forecasts = forecastAccuracy(seedsFrom(1, 40));
for (const share of [0.25, 0.5, 0.75]) {
  const made = forecasts.filter((f) => f.share === share);
  const errors = made.map((f) => Math.abs(f.error));
  line(`${share * 100} % of the plan`, percent(Math.max(...errors)), percent(errors.reduce((a, b) => a + b, 0) / errors.length), `${made.filter((f) => f.inRange).length} of ${made.length}`);
}

print('\n## After a lasting change of pace halfway (seeds 1–20)\n');
line('change', 'back within ±5 % after (min): median', 'worst', 'within 15 min');
line('---', '---', '---', '---');
for (const factor of [1.3, 1.15, 0.85, 0.75]) {
  const runs = paceChangeRecovery(seedsFrom(1, 20), factor);
  const after = runs.map((r) => r.recoveredAfter ?? Infinity);
  line(`time per dot × ${factor}`, median(after)!, Math.max(...after), `${after.filter((a) => a <= 15).length} of ${runs.length}`);
}

print('\n## Signs of fatigue over eight-hour sessions\n');
line('sessions', 'seeds', 'with signs', 'within 30 min of the onset', 'median minutes to the sign', 'highest index');
line('---', '---', '---', '---', '---', '---');
const report = (name: string, seeds: number[], runs: FatigueRun[], tiring: boolean) => {
  const signed = runs.filter((r) => r.firstSign !== null);
  const inTime = signed.filter((r) => r.firstSign! >= 0 && r.firstSign! <= 30);
  const firsts = signed.map((r) => r.firstSign!);
  line(name, `${seeds[0]}–${seeds.at(-1)}`, `${signed.length} of ${runs.length}`, tiring ? `${inTime.length} of ${runs.length}` : '—', tiring ? median(firsts)!.toFixed(0) : '—', Math.max(...runs.map((r) => r.maxIndex)).toFixed(2));
};
for (const seeds of [seedsFrom(1, 20), seedsFrom(21, 80)]) {
  report('tiring', seeds, fatigueRuns('tiring', seeds), true);
  report('tiring, changing evenly over the hour', seeds, fatigueRuns('tiring', seeds, { ramp: 'linear' }), true);
  report('steady', seeds, fatigueRuns('steady', seeds), false);
  report('region-change', seeds, fatigueRuns('region-change', seeds), false);
  report('region-change, the plan silent on skin', seeds, fatigueRuns('region-change', seeds, { blindToSkin: true }), false);
}
