/**
 * The baseline for `npm run bench:latency`: the shortest possible path from a device to a browser
 * DOM — a ws relay that forwards each telemetry sample to every page, which writes it into the
 * DOM at once. No storage, no ack, no coalescing.
 */
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

const page = `<!doctype html><html><body><div id="chairs"></div><script>
const chairs = document.getElementById('chairs');
const cells = new Map();
const ws = new WebSocket('ws://' + location.host + '/browser');
ws.onmessage = (e) => {
  const m = JSON.parse(e.data);
  let cell = cells.get(m.deviceId);
  if (!cell) { cell = document.createElement('div'); cell.dataset.testid = 'cycle-hz'; chairs.append(cell); cells.set(m.deviceId, cell); }
  cell.textContent = Math.round(m.cycleHz);
  cell.dataset.ts = m.ts;
};
</script></body></html>`;

const browsers = new Set<WebSocket>();
const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
const wss = new WebSocketServer({ server });
wss.on('connection', (socket, request) => {
  if (request.url === '/browser') {
    browsers.add(socket);
    socket.on('close', () => browsers.delete(socket));
    return;
  }
  let deviceId = '';
  socket.on('message', (data) => {
    const m = JSON.parse(data.toString()) as { type: string; deviceId?: string; ts?: number; cycleHz?: number };
    if (m.type === 'hello') {
      deviceId = m.deviceId ?? '';
      socket.send(JSON.stringify({ type: 'welcome', v: 1, chairId: null, sessionId: null, ackedSeq: 0 }));
    } else if (m.type === 'tel') {
      const out = JSON.stringify({ deviceId, ts: m.ts, cycleHz: m.cycleHz });
      for (const b of browsers) b.send(out);
    }
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('Stipple is running at relay\n'));
