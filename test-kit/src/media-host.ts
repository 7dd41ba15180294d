import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostedFile {
  bytes: Buffer;
  contentType: string;
  /** Sent chunked, without Content-Length (the size is known only by reading). */
  chunked?: boolean;
  /** Answers only after this long (a slow host); closing the host drops the requests still waiting. */
  delayMs?: number;
}

/**
 * A channel's media host on loopback: serves registered files at /files/:name, redirects from
 * /redirect?to=<url>, can be down (503) for a while, and can answer a file late. Counts what it
 * served, the requests it is holding back, and how many bytes each response actually wrote
 * before the client stopped reading.
 */
export async function startMediaHost() {
  const files = new Map<string, HostedFile>();
  const served: Array<{ name: string; status: number }> = [];
  const delayed = new Set<NodeJS.Timeout>();
  let downUntil = 0;
  let refused = 0;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://host');
    if (url.pathname === '/redirect') {
      response.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
      return;
    }
    const name = decodeURIComponent(url.pathname.replace(/^\/files\//, ''));
    if (Date.now() < downUntil) {
      refused += 1;
      response.writeHead(503).end();
      return;
    }
    const file = files.get(name);
    if (!file) {
      served.push({ name, status: 404 });
      response.writeHead(404).end();
      return;
    }
    served.push({ name, status: 200 });
    if (!file.delayMs) return send(response, file);
    const timer = setTimeout(() => {
      delayed.delete(timer);
      send(response, file);
    }, file.delayMs);
    delayed.add(timer);
    // A client that gives up (a download timeout) is no longer waiting.
    response.once('close', () => {
      clearTimeout(timer);
      delayed.delete(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    served,
    get refused() {
      return refused;
    },
    /** Requests for a delayed file that are still waiting for their answer. */
    get waiting() {
      return delayed.size;
    },
    /** Registers a file; its URL. Random bytes of `size` unless `bytes` are given. */
    add(name: string, file: Partial<HostedFile> & { size?: number } = {}): { url: string; bytes: Buffer } {
      const bytes = file.bytes ?? randomBytes(file.size ?? 1024);
      files.set(name, { bytes, contentType: file.contentType ?? 'image/png', chunked: file.chunked, delayMs: file.delayMs });
      return { url: `${origin}/files/${encodeURIComponent(name)}`, bytes };
    },
    redirectTo: (target: string) => `${origin}/redirect?to=${encodeURIComponent(target)}`,
    /** Answers 503 to every request for `ms`. */
    failFor(ms: number) {
      downUntil = Date.now() + ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Requests held back by a delay would keep the server open until they are answered.
        if (delayed.size > 0) server.closeAllConnections();
      }),
  };
}

export type MediaHost = Awaited<ReturnType<typeof startMediaHost>>;

/** Writes in 64 KB pieces, waiting for the client to read, so a client that stops reading stops the writes. */
function send(response: ServerResponse, file: HostedFile): void {
  response.writeHead(200, { 'content-type': file.contentType, ...(file.chunked ? {} : { 'content-length': String(file.bytes.length) }) });
  let offset = 0;
  const writeMore = () => {
    while (offset < file.bytes.length) {
      const piece = file.bytes.subarray(offset, offset + 65_536);
      offset += piece.length;
      if (!response.write(piece)) return void response.once('drain', writeMore);
    }
    response.end();
  };
  response.once('close', () => (offset = file.bytes.length));
  writeMore();
}
