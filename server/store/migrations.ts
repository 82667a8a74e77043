import type { Database } from 'better-sqlite3';
import { StartupError } from '../startup-error.ts';

/**
 * Schema versions, applied in order at start. A released migration is never edited: a change is a
 * new entry. `PRAGMA user_version` records how far a database file has come.
 */
const migrations: readonly string[] = [
  /* 1: the foundation */ `
  CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  CREATE TABLE chairs (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    selected_region TEXT,
    created_at      INTEGER NOT NULL
  ) STRICT;

  -- key: a small integer that the big tables (dots, telemetry) reference instead of the text id.
  CREATE TABLE devices (
    key             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    chair_id        TEXT NOT NULL REFERENCES chairs(id),
    name            TEXT NOT NULL,
    token_hash      BLOB NOT NULL,
    fw              TEXT,
    last_seq        INTEGER NOT NULL DEFAULT 0,
    clock_offset_ms REAL,
    last_seen_at    INTEGER,
    last_address    TEXT,
    created_at      INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX devices_by_chair ON devices(chair_id);

  CREATE TABLE sessions (
    key         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    chair_id    TEXT NOT NULL REFERENCES chairs(id),
    operator_id TEXT NOT NULL,
    patient_ref TEXT NOT NULL,
    plan_id     TEXT,
    started_at  INTEGER NOT NULL,
    ended_at    INTEGER
  ) STRICT;
  CREATE INDEX sessions_by_chair ON sessions(chair_id, started_at);
  CREATE UNIQUE INDEX one_open_session_per_chair ON sessions(chair_id) WHERE ended_at IS NULL;

  -- Every dot, once: (device_key, seq) is the device's own idempotency key.
  CREATE TABLE dots (
    device_key  INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    made_at     INTEGER NOT NULL,
    session_key INTEGER,
    region      TEXT NOT NULL,
    x           REAL,
    y           REAL,
    cycles      INTEGER NOT NULL,
    dwell_ms    REAL NOT NULL,
    needles     INTEGER NOT NULL,
    PRIMARY KEY (device_key, seq)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX dots_by_session ON dots(session_key, made_at);

  -- Maintained as dots arrive so that a session's totals are one indexed read.
  CREATE TABLE session_region_counts (
    session_key INTEGER NOT NULL,
    region      TEXT NOT NULL,
    dots        INTEGER NOT NULL,
    PRIMARY KEY (session_key, region)
  ) STRICT, WITHOUT ROWID;

  -- Telemetry is folded into one row per device per second (see docs/storage.md).
  CREATE TABLE telemetry_seconds (
    device_key      INTEGER NOT NULL,
    second          INTEGER NOT NULL,
    samples         INTEGER NOT NULL,
    running_samples INTEGER NOT NULL,
    hz_sum          REAL NOT NULL,
    hz_min          REAL NOT NULL,
    hz_max          REAL NOT NULL,
    needles         INTEGER NOT NULL,
    battery_pct     REAL,
    PRIMARY KEY (device_key, second)
  ) STRICT, WITHOUT ROWID;

  -- What a device sent that was refused, and the seq ranges it never delivered.
  CREATE TABLE device_incidents (
    id         INTEGER PRIMARY KEY,
    device_key INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('refused', 'gap')),
    seq        INTEGER,
    seq_to     INTEGER,
    detail     TEXT NOT NULL,
    at         INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX device_incidents_by_device ON device_incidents(device_key, at);
  `,
  /* 2: browser sign-in sessions (the cookie holds the id; only its hash is stored) */ `
  CREATE TABLE browser_sessions (
    id_hash    BLOB PRIMARY KEY,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  `,
  /* 3: people and roles, who a browser session belongs to, and the audit trail */ `
  CREATE TABLE people (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('operator', 'supervisor', 'admin')),
    secret_hash TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    disabled_at INTEGER
  ) STRICT;
  CREATE UNIQUE INDEX people_by_active_name ON people(name COLLATE NOCASE) WHERE disabled_at IS NULL;

  ALTER TABLE devices ADD COLUMN revoked_at INTEGER;

  ALTER TABLE browser_sessions ADD COLUMN person_id TEXT;
  ALTER TABLE browser_sessions ADD COLUMN role TEXT NOT NULL DEFAULT 'admin';
  ALTER TABLE browser_sessions ADD COLUMN chair_id TEXT;

  CREATE TABLE audit (
    id     INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT NOT NULL DEFAULT '{}'
  ) STRICT;
  CREATE INDEX audit_by_time ON audit(at);
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
  `,
  /* 4: treatment plans, the fine coverage grid and guidance from the plan */ `
  CREATE TABLE treatments (
    id               TEXT PRIMARY KEY,
    patient_ref      TEXT NOT NULL,
    sessions_planned INTEGER NOT NULL CHECK (sessions_planned BETWEEN 2 AND 4),
    head_scale       REAL NOT NULL,
    reference        TEXT NOT NULL,
    created_at       INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX treatments_by_patient ON treatments(patient_ref);

  -- regions: the plan's regions as JSON, validated by server/protocol/plan.ts; edited as a whole.
  CREATE TABLE plans (
    id             TEXT PRIMARY KEY,
    treatment_id   TEXT NOT NULL REFERENCES treatments(id),
    session_number INTEGER NOT NULL,
    template       TEXT,
    regions        TEXT NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (treatment_id, session_number)
  ) STRICT;

  CREATE INDEX sessions_by_patient ON sessions(patient_ref, started_at);

  -- Dots per cell of the coverage grid (server/coverage/grid.ts, 40 x 40), kept with the dots.
  CREATE TABLE session_cells (
    session_key INTEGER NOT NULL,
    cell        INTEGER NOT NULL,
    dots        INTEGER NOT NULL,
    PRIMARY KEY (session_key, cell)
  ) STRICT, WITHOUT ROWID;
  INSERT INTO session_cells (session_key, cell, dots)
    SELECT session_key, min(39, CAST(y * 40 AS INTEGER)) * 40 + min(39, CAST(x * 40 AS INTEGER)), count(*)
    FROM dots WHERE session_key IS NOT NULL AND x IS NOT NULL GROUP BY 1, 2;

  CREATE TABLE guidance_events (
    id          INTEGER PRIMARY KEY,
    session_key INTEGER NOT NULL,
    chair_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    region      TEXT NOT NULL,
    message     TEXT NOT NULL,
    at          INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX guidance_by_session ON guidance_events(session_key, at);
  `,
  /* 5: fatigue breaks: each operator's engine state, needle time per day, the break log */ `
  -- state: the break engine's state for the operator as JSON (server/breaks/engine.ts), so a
  -- restart in the middle of a break keeps the break.
  CREATE TABLE operator_fatigue (
    operator_id TEXT PRIMARY KEY,
    state       TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE operator_days (
    operator_id TEXT NOT NULL,
    day         TEXT NOT NULL,
    needle_ms   INTEGER NOT NULL,
    PRIMARY KEY (operator_id, day)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE break_events (
    id          INTEGER PRIMARY KEY,
    operator_id TEXT NOT NULL,
    chair_id    TEXT,
    type        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    at          INTEGER NOT NULL,
    ms          INTEGER,
    detail      TEXT NOT NULL
  ) STRICT;
  CREATE INDEX break_events_by_operator ON break_events(operator_id, at);

  -- Dots made during a break: stored like any other dot, and flagged here.
  CREATE TABLE break_violations (
    device_key  INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    operator_id TEXT NOT NULL,
    made_at     INTEGER NOT NULL,
    PRIMARY KEY (device_key, seq)
  ) STRICT, WITHOUT ROWID;
  `,
  /* 6: alarms and every change of their state */ `
  CREATE TABLE alarms (
    id               INTEGER PRIMARY KEY,
    chair_id         TEXT NOT NULL,
    condition        TEXT NOT NULL,
    priority         TEXT NOT NULL CHECK (priority IN ('high', 'medium', 'low')),
    state            TEXT NOT NULL CHECK (state IN ('active', 'latched', 'closed')),
    condition_active INTEGER NOT NULL,
    detail           TEXT NOT NULL,
    operator_id      TEXT,
    raised_at        INTEGER NOT NULL,
    last_at          INTEGER NOT NULL,
    repeats          INTEGER NOT NULL,
    acknowledged_by  TEXT,
    acknowledged_at  INTEGER,
    silenced_until   INTEGER,
    escalated        INTEGER NOT NULL,
    closed_at        INTEGER
  ) STRICT;
  CREATE INDEX alarms_open ON alarms(state) WHERE state <> 'closed';
  CREATE INDEX alarms_by_time ON alarms(raised_at);

  CREATE TABLE alarm_events (
    id       INTEGER PRIMARY KEY,
    alarm_id INTEGER NOT NULL REFERENCES alarms(id),
    change   TEXT NOT NULL,
    at       INTEGER NOT NULL,
    by       TEXT,
    detail   TEXT NOT NULL
  ) STRICT;
  CREATE INDEX alarm_events_by_alarm ON alarm_events(alarm_id, at);
  `,
  /* 7: a chair handed over mid-session: who operated from when (sessions.operator_id is the current one) */ `
  CREATE TABLE session_handovers (
    id            INTEGER PRIMARY KEY,
    session_key   INTEGER NOT NULL REFERENCES sessions(key),
    at            INTEGER NOT NULL,
    from_operator TEXT NOT NULL,
    to_operator   TEXT NOT NULL
  ) STRICT;
  CREATE INDEX session_handovers_by_session ON session_handovers(session_key, at);
  `,
  /* 8: the session record: the supervisor's note and sign-off (read-only after it) */ `
  CREATE TABLE session_reviews (
    session_key    INTEGER PRIMARY KEY REFERENCES sessions(key),
    note           TEXT NOT NULL,
    updated_at     INTEGER NOT NULL,
    signed_off_by  TEXT,
    signed_off_at  INTEGER
  ) STRICT;
  -- A signed-off review is the record: nothing changes it afterwards.
  CREATE TRIGGER session_reviews_signed_off BEFORE UPDATE ON session_reviews
    WHEN OLD.signed_off_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'signed off: the review is read-only'); END;
  CREATE TRIGGER session_reviews_keep BEFORE DELETE ON session_reviews
    WHEN OLD.signed_off_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'signed off: the review is read-only'); END;
  `,
  /* 9: from one session to the next: treatment status, follow-up visits with findings and photos, laser clearances */ `
  ALTER TABLE treatments ADD COLUMN status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'complete'));
  ALTER TABLE treatments ADD COLUMN status_changed_at INTEGER;
  CREATE INDEX treatments_by_status ON treatments(status, created_at);

  CREATE TABLE followup_visits (
    id           TEXT PRIMARY KEY,
    treatment_id TEXT NOT NULL REFERENCES treatments(id),
    visited_at   INTEGER NOT NULL,
    recorded_by  TEXT NOT NULL,
    note         TEXT NOT NULL,
    created_at   INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX followup_visits_by_treatment ON followup_visits(treatment_id, visited_at);

  -- One row per finding of a region at a visit (server/protocol/followup.ts lists the findings).
  CREATE TABLE followup_findings (
    visit_id TEXT NOT NULL REFERENCES followup_visits(id),
    region   TEXT NOT NULL,
    finding  TEXT NOT NULL,
    note     TEXT NOT NULL,
    PRIMARY KEY (visit_id, region, finding)
  ) STRICT, WITHOUT ROWID;

  -- Photos live as files under <data dir>/photos, named by the SHA-256 of their stripped content.
  CREATE TABLE followup_photos (
    id         TEXT PRIMARY KEY,
    visit_id   TEXT NOT NULL REFERENCES followup_visits(id),
    region     TEXT NOT NULL,
    view       TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    bytes      INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX followup_photos_by_visit ON followup_photos(visit_id);

  -- A supervisor's clearance of a "needs laser before the next session" finding.
  CREATE TABLE laser_clearances (
    id           INTEGER PRIMARY KEY,
    treatment_id TEXT NOT NULL REFERENCES treatments(id),
    visit_id     TEXT NOT NULL REFERENCES followup_visits(id),
    cleared_by   TEXT NOT NULL,
    reason       TEXT NOT NULL,
    cleared_at   INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX laser_clearances_by_treatment ON laser_clearances(treatment_id, cleared_at);
  `,
  // 10: each operator's way of working per kind of skin, from the first hour of their last session
  // on it: the baseline that signs of fatigue are read against (server/outlook/work-log.ts).
  `
  CREATE TABLE work_baselines (
    operator_id TEXT NOT NULL,
    skin        TEXT NOT NULL,
    stats       TEXT NOT NULL,
    session_id  TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (operator_id, skin)
  ) STRICT, WITHOUT ROWID;
  `,
];

export const SCHEMA_VERSION = migrations.length;

/** Brings the database to `target` (the newest by default; an older one only to test upgrades from it). */
export function migrate(db: Database, target = SCHEMA_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new StartupError(
      `the database is at schema version ${current}, newer than this server knows (${SCHEMA_VERSION}); run a newer Stipple`,
    );
  }
  const apply = db.transaction(() => {
    for (let version = current + 1; version <= target; version++) {
      db.exec(migrations[version - 1]!);
      db.pragma(`user_version = ${version}`);
    }
  });
  apply();
}
