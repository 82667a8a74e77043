/**
 * The baseline for the live-page benchmarks: the shortest possible path from a device to a browser
 * — a ws relay that forwards each telemetry sample to every page. The page writes each sample's
 * figure into the DOM at once and draws the first chair's samples in one uPlot chart, redrawn once
 * an animation frame, as uPlot's own streaming examples do. No storage, no ack, no coalescing.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { WebSocketServer, type WebSocket } from 'ws';

const uplot = createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js');
const script = readFileSync(uplot, 'utf8');
const style = readFileSync(uplot.replace('uPlot.iife.min.js', 'uPlot.min.css'), 'utf8');

const page = `<!doctype html><html><head><style>${style}</style></head><body><div id="chart"></div><div id="chairs"></div>
<script>${script}</script><script>
const chairs = document.getElementById('chairs');
const cells = new Map();
const xs = [], ys = [];
let chartOf = null, frame = 0;
const plot = new uPlot({ width: 800, height: 240, legend: { show: false }, cursor: { show: false },
  scales: { x: { time: true }, y: { range: [0, 200] } }, series: [{}, { stroke: '#4da3ff', width: 2, points: { show: false } }] },
  [xs, ys], document.getElementById('chart'));
const ws = new WebSocket('ws://' + location.host + '/browser');
ws.onmessage = (e) => {
  const m = JSON.parse(e.data);
  let cell = cells.get(m.deviceId);
  if (!cell) { cell = document.createElement('div'); cell.dataset.testid = 'cycle-hz'; chairs.append(cell); cells.set(m.deviceId, cell); }
  cell.textContent = Math.round(m.cycleHz);
  cell.dataset.ts = m.ts;
  chartOf ??= m.deviceId;
  if (m.deviceId !== chartOf) return;
  xs.push(m.ts / 1000); ys.push(m.cycleHz);
  while (xs[0] < m.ts / 1000 - 180) { xs.shift(); ys.shift(); }
  frame ||= requestAnimationFrame(() => { frame = 0; plot.setData([xs, ys]); });
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
