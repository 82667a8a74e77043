/**
 * `npm run restore -- <backup>`: puts a backup back into a stopped box's data dir, after checking
 * it; what it replaces is kept aside. Refuses while the server runs on that data dir.
 */
import { resolve } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { readConfig } from '../config.ts';
import { bytesInWords } from '../protocol/backups.ts';
import { runMain } from '../startup-error.ts';
import { restoreBackup } from './restore.ts';

const input = z.object({ backup: z.string().min(1), dataDir: z.string().min(1) });

await runMain('stipple restore', async () => {
  const config = readConfig();
  const program = new Command('npm run restore --')
    .description('Restore a backup into the data dir of a stopped Stipple box.')
    .argument('<backup>', 'the backup folder, e.g. data/backups/2026-11-26T02-30-00.000Z')
    .option('--data-dir <dir>', 'the data dir to restore into (STIPPLE_DATA_DIR)', config.STIPPLE_DATA_DIR)
    .parse();
  const { backup, dataDir } = input.parse({ backup: program.args[0], ...program.opts() });
  const restored = await restoreBackup(backup, dataDir, Date.now());
  const { manifest } = restored;
  process.stdout.write(`Restored the backup of ${manifest.time} (${manifest.kind}, ${bytesInWords(manifest.size)}) into ${resolve(dataDir)}\n`);
  for (const aside of [restored.databaseAside, ...restored.filesAside]) if (aside) process.stdout.write(`Kept what it replaced: ${aside}\n`);
  process.stdout.write('Start Stipple again. What the handpieces sent after this backup was taken and had acknowledged is not in it: only messages still in their outboxes are sent again.\n');
});
