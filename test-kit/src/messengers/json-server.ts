import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JsonRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface JsonAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** A page instead of JSON: `body` is then its HTML. */
  html?: boolean;
  /** A file instead of JSON, served with `headers`' content-type. */
  bytes?: Buffer;
}

/** Where a stand-in listens: a free port on 127.0.0.1 unless told. */
export interface ListenOptions {
  port?: number;
  host?: string;
}

/** A small HTTP server answering JSON, for the platform stand-ins. */
export async function startJsonServer(handle: (request: JsonRequest) => JsonAnswer | Promise<JsonAnswer>, listen: ListenOptions = {}) {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      Promise.resolve(handle({ method: request.method ?? 'GET', path: (request.url ?? '/').split('?')[0]!, headers: request.headers, body }))
        .then((answer) => send(response, answer))
        .catch((error: unknown) => send(response, { status: 500, body: { message: String(error) } }));
    });
  });
  const host = listen.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(listen.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A browser keeps its connections to a page open (and opens some ahead of use): close would wait for them.
        server.closeAllConnections();
      }),
  };
}

function send(response: ServerResponse, { status, body, headers = {}, html, bytes }: JsonAnswer): void {
  if (bytes) {
    response.writeHead(status, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length), ...headers });
    response.end(bytes);
    return;
  }
  response.writeHead(status, { 'content-type': html ? 'text/html; charset=utf-8' : 'application/json', ...headers });
  response.end(html ? String(body) : JSON.stringify(body));
}

/** Posts a raw body as a platform does, returning the status and the parsed answer. */
export async function postWebhook(url: string, headers: Record<string, string>, raw: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: kept as text.
  }
  return { status: response.status, body };
}
