import type { AlarmService } from '../alarms/alarm-service.ts';
import type { BackupService } from '../backup/backup-service.ts';
import type { BreakService } from '../breaks/break-service.ts';
import type { Clock } from '../clock.ts';
import type { CoverageTracker } from '../coverage/tracker.ts';
import type { PhotoFiles } from '../followup/photo-files.ts';
import type { DeviceRegistry } from '../ingest/device-registry.ts';
import type { LiveHub } from '../live/hub.ts';
import type { Store } from '../store/index.ts';
import type { ServedTls } from '../tls/clinic-tls.ts';

/** What the HTTP routes work with. */
export interface ApiDeps {
  store: Store;
  registry: DeviceRegistry;
  hub: LiveHub;
  clock: Clock;
  coverage: CoverageTracker;
  breaks: BreakService;
  alarms: AlarmService;
  backups: BackupService;
  /** Follow-up photos in the data dir. */
  photos: PhotoFiles;
  /** HTTPS and the clinic CA handpieces pin; absent when the server speaks plain HTTP only. */
  tls?: ServedTls;
}
