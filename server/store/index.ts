import { alarmStore } from './alarms.ts';
import { auditStore } from './audit.ts';
import { breakStore } from './breaks.ts';
import { browserSessionStore } from './browser-sessions.ts';
import { chairStore } from './chairs.ts';
import { coverageStore } from './coverage.ts';
import { openDatabase } from './db.ts';
import { deviceStore } from './devices.ts';
import { followupStore } from './followups.ts';
import { guidanceStore } from './guidance.ts';
import { ingestWriter } from './ingest-writer.ts';
import { peopleStore } from './people.ts';
import { planHistoryStore } from './plan-history.ts';
import { planStore } from './plans.ts';
import { recordStore } from './records.ts';
import { sessionStore } from './sessions.ts';
import { settingsStore } from './settings.ts';
import { telemetryStore } from './telemetry.ts';
import { workBaselineStore } from './work-baselines.ts';

/** The clinic's durable state: one SQLite file, one repository per table family. */
export function openStore(dataDir: string) {
  const db = openDatabase(dataDir);
  return {
    db,
    chairs: chairStore(db),
    devices: deviceStore(db),
    sessions: sessionStore(db),
    telemetry: telemetryStore(db),
    settings: settingsStore(db),
    browserSessions: browserSessionStore(db),
    people: peopleStore(db),
    audit: auditStore(db),
    plans: planStore(db),
    planHistory: planHistoryStore(db),
    followups: followupStore(db),
    coverage: coverageStore(db),
    guidance: guidanceStore(db),
    breaks: breakStore(db),
    alarms: alarmStore(db),
    records: recordStore(db),
    workBaselines: workBaselineStore(db),
    ingest: ingestWriter(db),
    close: () => db.close(),
  };
}

export type Store = ReturnType<typeof openStore>;
