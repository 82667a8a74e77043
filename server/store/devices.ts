import type { Db } from './db.ts';
import { newId } from './ids.ts';

export interface Device {
  key: number;
  id: string;
  chairId: string;
  name: string;
  fw: string | null;
  /** Highest seq durably stored for this device: the `ackedSeq` of the next welcome. */
  lastSeq: number;
  clockOffsetMs: number | null;
  lastSeenAt: number | null;
  lastAddress: string | null;
  createdAt: number;
  /** A revoked device can never connect again; its record stays for the history. */
  revokedAt: number | null;
}

export interface DeviceIncident {
  kind: 'refused' | 'gap';
  seq: number | null;
  seqTo: number | null;
  detail: string;
  at: number;
}

const columns = `key, id, chair_id AS chairId, name, fw, last_seq AS lastSeq, clock_offset_ms AS clockOffsetMs,
  last_seen_at AS lastSeenAt, last_address AS lastAddress, created_at AS createdAt, revoked_at AS revokedAt`;

export function deviceStore(db: Db) {
  const insert = db.prepare(
    'INSERT INTO devices (id, chair_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const byId = db.prepare<[string], Device>(`SELECT ${columns} FROM devices WHERE id = ?`);
  const tokenHashById = db.prepare<[string], { tokenHash: Buffer }>(
    'SELECT token_hash AS tokenHash FROM devices WHERE id = ? AND revoked_at IS NULL',
  );
  const revoke = db.prepare('UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const setToken = db.prepare('UPDATE devices SET token_hash = ? WHERE id = ? AND revoked_at IS NULL');
  const all = db.prepare<[], Device>(`SELECT ${columns} FROM devices ORDER BY key`);
  const activeAtChair = db.prepare<[string], Device>(
    `SELECT ${columns} FROM devices WHERE chair_id = ? AND revoked_at IS NULL ORDER BY key DESC LIMIT 1`,
  );
  const hello = db.prepare('UPDATE devices SET fw = ?, last_address = ?, last_seen_at = ? WHERE key = ?');
  const seen = db.prepare('UPDATE devices SET last_seen_at = ? WHERE key = ?');
  const incidents = db.prepare<[number, number], DeviceIncident>(
    `SELECT kind, seq, seq_to AS seqTo, detail, at FROM device_incidents
     WHERE device_key = ? ORDER BY id DESC LIMIT ?`,
  );

  return {
    create(input: { chairId: string; name: string; tokenHash: Buffer; now: number }): Device {
      const id = newId('dv');
      insert.run(id, input.chairId, input.name, input.tokenHash, input.now);
      return byId.get(id)!;
    },
    get: (id: string): Device | undefined => byId.get(id),
    tokenHash: (id: string): Buffer | undefined => tokenHashById.get(id)?.tokenHash,
    list: (): Device[] => all.all(),
    /** The chair's handpiece in service: the newest one not revoked. */
    active: (chairId: string): Device | undefined => activeAtChair.get(chairId),
    recordHello(key: number, fw: string | null, address: string | null, now: number): void {
      hello.run(fw, address, now, key);
    },
    recordSeen(key: number, now: number): void {
      seen.run(now, key);
    },
    recentIncidents: (key: number, limit = 50): DeviceIncident[] => incidents.all(key, limit),
    revoke(id: string, now: number): void {
      revoke.run(now, id);
    },
    replaceToken(id: string, tokenHash: Buffer): void {
      setToken.run(tokenHash, id);
    },
  };
}

export type DeviceStore = ReturnType<typeof deviceStore>;
