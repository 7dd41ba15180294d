import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface OutgoingRequest {
  url: string;
  method: string;
  headers: OutgoingHttpHeaders;
  body?: string;
  /** Instead of the client's own. */
  timeoutMs?: number;
}

/**
 * An answer whose headers arrived. Its body is still to be read (`readText`) or let go
 * (`drain`): the connection goes back to the pool only once the body has been read to its end.
 */
export interface KeptAliveResponse {
  statusCode: number;
  headers: IncomingMessage['headers'];
  body: IncomingMessage;
}

/** Idle pooled connections are closed before the usual 5 s of servers' own keep-alive timeouts. */
const IDLE_SOCKET_MS = 4_000;

/**
 * node's own HTTP client over keep-alive agents, one per protocol. `timeoutMs` bounds the
 * connect and every wait on the far end (for the headers, and between two chunks of the body).
 * Failures carry a network `code` in node's vocabulary: ETIMEDOUT for a timeout, ECONNRESET for
 * a dropped connection, a system error's own code (ECONNREFUSED) as it is. Not undici: its HTTP
 * parser is WebAssembly, about 26 MB of RSS, to save about 40 µs of CPU per request.
 */
export function createKeepAliveHttp(timeoutMs: number) {
  const agents = {
    'http:': new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    'https:': new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  };
  return {
    send(outgoing: OutgoingRequest): Promise<KeptAliveResponse> {
      const url = new URL(outgoing.url);
      const https = url.protocol === 'https:';
      const send = https ? httpsRequest : httpRequest;
      return new Promise((resolve, reject) => {
        let received: IncomingMessage | undefined;
        const agent = https ? agents['https:'] : agents['http:'];
        const request = send(url, { method: outgoing.method, headers: outgoing.headers, agent, timeout: outgoing.timeoutMs ?? timeoutMs }, (response) => {
          received = response;
          resolve({ statusCode: response.statusCode ?? 0, headers: response.headers, body: response });
        });
        request.on('timeout', () => {
          const timedOut = Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' });
          // Once the headers are in, the body's reader is the one waiting: it hears the timeout.
          received?.destroy(timedOut);
          request.destroy(timedOut);
        });
        request.on('error', reject);
        request.end(outgoing.body);
      });
    },
  };
}

export type KeepAliveHttp = ReturnType<typeof createKeepAliveHttp>;

/**
 * The whole body as text, up to `maxBytes` (past that the connection is dropped and the read
 * fails with EMSGSIZE); rejects as `send` does should the connection fail or stall meanwhile.
 */
export async function readText(body: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of body) {
      received += (chunk as Buffer).length;
      if (received > maxBytes) throw Object.assign(new Error('the answer is too large'), { code: 'EMSGSIZE' });
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (networkCode(error) === 'EMSGSIZE') throw error;
    throw withNetworkCode(error);
  }
  if (!body.complete) throw withNetworkCode(undefined);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Lets an unread body go: what arrives is discarded, up to `maxBytes`, so that the connection
 * goes back to the pool; a far end that sends more, or never stops, loses its connection.
 */
export function drain(body: IncomingMessage, maxBytes: number): void {
  let received = 0;
  body.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > maxBytes) body.destroy();
  });
  body.on('error', () => undefined);
}

/** A failure while reading a body: the request's own code (ETIMEDOUT) when it has one, else a dropped connection. */
function withNetworkCode(error: unknown): Error {
  const code = (error as { code?: unknown } | undefined)?.code;
  return Object.assign(new Error('the connection failed while the answer was read'), { code: code === 'ETIMEDOUT' ? code : 'ECONNRESET' });
}

/** The network code of a failed request or read, if it has one. */
export function networkCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
