import { request } from 'node:https';

/**
 * A fetch for HTTPS that trusts the given CA and nothing else: the clinic CA, pinned the way a
 * handpiece pins it. Node's own fetch cannot be given a CA without the undici package, so this
 * does the few JSON calls provisioning needs over node:https.
 */
export function pinnedFetch(ca: string): (url: URL, init: RequestInit) => Promise<Response> {
  return (url, init) =>
    new Promise((resolve, reject) => {
      const req = request(url, { method: init.method ?? 'GET', headers: Object.fromEntries(new Headers(init.headers)), ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            for (const v of [value ?? []].flat()) headers.append(name, v);
          }
          resolve(new Response(chunks.length > 0 ? Buffer.concat(chunks) : null, { status: res.statusCode ?? 500, statusText: res.statusMessage ?? '', headers }));
        });
      });
      req.on('error', reject);
      req.end(typeof init.body === 'string' ? init.body : undefined);
    });
}
