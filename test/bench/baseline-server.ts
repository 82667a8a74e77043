/**
 * The bare baseline for `npm run bench`: a raw ws server that parses each frame, inserts the
 * messages in batched better-sqlite3 transactions (WAL, synchronous=FULL, the server's own
 * group-commit window) and acks after commit. No auth, validation, dedup, attribution or fan-out.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { defaultGroupCommit } from '../../server/ingest/group-commit.ts';

const port = Number(process.env.PORT);
const db = new Database(join(process.env.STIPPLE_DATA_DIR!, 'baseline.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('CREATE TABLE IF NOT EXISTS messages (device TEXT, seq INTEGER, type TEXT, body TEXT)');
const insert = db.prepare('INSERT INTO messages VALUES (?, ?, ?, ?)');

type Row = [string, number, string, string];
let pending: Row[] = [];
const owed = new Map<WebSocket, number>();
let timer: NodeJS.Timeout | undefined;

const commit = db.transaction((rows: Row[]) => {
  for (const row of rows) insert.run(...row);
});

function flush() {
  timer = undefined;
  commit(pending);
  pending = [];
  for (const [socket, seq] of owed) socket.send(JSON.stringify({ type: 'ack', seq }));
  owed.clear();
}

const wss = new WebSocketServer({ port, host: '127.0.0.1', maxPayload: 64 * 1024 });
wss.on('connection', (socket) => {
  let device = '';
  socket.on('message', (data) => {
    const parsed: unknown = JSON.parse(data.toString());
    for (const m of (Array.isArray(parsed) ? parsed : [parsed]) as Array<{ type: string; seq: number; deviceId: string }>) {
      if (m.type === 'hello') {
        device = m.deviceId;
        socket.send(JSON.stringify({ type: 'welcome', v: 1, chairId: null, sessionId: null, ackedSeq: 0 }));
        continue;
      }
      pending.push([device, m.seq, m.type, JSON.stringify(m)]);
      owed.set(socket, m.seq);
    }
    timer ??= setTimeout(flush, defaultGroupCommit.windowMs);
  });
});
wss.on('listening', () => process.stdout.write('Stipple is running at baseline\n'));
