import { WebSocket } from 'ws';
import { liveServerMessage, type LiveChair } from '../../server/protocol/live.ts';
import { ADMIN_TOKEN, waitFor, type TestServer } from './server.ts';

/** The wall as a browser sees it: signed in, subscribed to every chair, the newest state of each kept. */
export async function watchWall(server: TestServer) {
  const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ token: ADMIN_TOKEN }),
  });
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws/live`, { headers: { cookie, origin: server.url } });
  const chairs = new Map<string, LiveChair>();
  let snapshot = false;
  socket.on('message', (data) => {
    const message = liveServerMessage.parse(JSON.parse(data.toString()));
    if (message.type === 'snapshot') snapshot = true;
    if (message.type === 'snapshot' || message.type === 'update') for (const chair of message.chairs) chairs.set(chair.id, chair);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'subscribe', scope: 'all' }));
  await waitFor(() => snapshot, 5_000, 'the live snapshot');
  return {
    chair: (id: string) => chairs.get(id),
    close: () => socket.terminate(),
  };
}
