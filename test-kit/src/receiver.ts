import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isSignedDelivery } from '@custom-channels/middleware';

export interface ReceivedDelivery {
  body: Record<string, unknown>;
  signatureValid: boolean;
}

/**
 * A channel's delivery endpoint: records every POST it accepts and whether its
 * X-Channel-Timestamp and X-Channel-Signature are valid. `failNext(n, status, retryAfter?, body?)` makes the next n requests fail (a JSON `body`: a refusal saying why),
 * `failFor(ms)` answers 503 to every request for a while (an outage).
 */
export async function startReceiver(secret: string) {
  const received: ReceivedDelivery[] = [];
  let failures: { remaining: number; status: number; retryAfter?: string; body?: string } = { remaining: 0, status: 500 };
  let downUntil = 0;
  let refused = 0;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (Date.now() < downUntil) {
        refused += 1;
        response.writeHead(503).end();
        return;
      }
      if (failures.remaining > 0) {
        failures.remaining -= 1;
        refused += 1;
        const headers = {
          ...(failures.retryAfter ? { 'retry-after': failures.retryAfter } : {}),
          ...(failures.body ? { 'content-type': 'application/json' } : {}),
        };
        response.writeHead(failures.status, headers).end(failures.body);
        return;
      }
      const raw = Buffer.concat(chunks);
      received.push({
        body: JSON.parse(raw.toString('utf8')) as Record<string, unknown>,
        signatureValid: isSignedDelivery(secret, raw, request.headers),
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/deliveries`,
    received,
    failNext(remaining: number, status = 500, retryAfter?: string, body?: string) {
      failures = { remaining, status, retryAfter, body };
    },
    failFor(ms: number) {
      downUntil = Date.now() + ms;
    },
    /** Requests answered with a failure so far. */
    failures: () => refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
