import { once } from 'node:events';
import { WebSocket } from 'ws';

/**
 * A server's live heap: what is left after a full collection, asked of V8 over the inspector (the
 * server runs with `--inspect`). The heap read between collections swings by a quarter with the
 * garbage not yet collected; this figure says whether something is being kept.
 */
export async function liveHeapBytes(inspectorUrl: string): Promise<number> {
  const socket = new WebSocket(inspectorUrl);
  await once(socket, 'open');
  let lastId = 0;
  const call = (method: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = ++lastId;
      const onMessage = (data: Buffer) => {
        const reply = JSON.parse(data.toString()) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
        if (reply.id !== id) return;
        socket.off('message', onMessage);
        if (reply.error) reject(new Error(`${method}: ${reply.error.message}`));
        else resolve(reply.result ?? {});
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ id, method }));
    });
  try {
    await call('HeapProfiler.collectGarbage');
    const { usedSize } = await call('Runtime.getHeapUsage');
    return usedSize as number;
  } finally {
    socket.close();
  }
}
