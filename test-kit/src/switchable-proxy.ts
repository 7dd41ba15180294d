import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the proxy forwarded: its method and path (with query). */
export interface ProxiedRequest {
  method: string;
  path: string;
}

/**
 * A loopback HTTP proxy in front of one origin whose port can stop listening, so clients
 * get real refused connections (ECONNREFUSED) and can reach the origin again later on the
 * same address. `afterAnswer` acts between a chosen request's answer from the origin and
 * its forwarding, so what it changes (refusing, a fault armed at the origin) applies to the
 * client's very next request.
 */
export async function startSwitchableProxy(target: string) {
  let server: Server | undefined;
  let hook: { matches: (request: ProxiedRequest) => boolean; action: () => void } | undefined;
  let refusing = false;
  let port = 0;

  const refuse = () => {
    refusing = true;
    const closing = server;
    server = undefined;
    closing?.close();
    closing?.closeIdleConnections();
  };

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const seen = { method: incoming.method ?? 'GET', path: incoming.url ?? '/' };
    const { host: _host, connection: _connection, ...headers } = incoming.headers;
    const upstream = httpRequest(`${target}${seen.path}`, { method: seen.method, headers, agent: false }, (answer) => {
      const { connection: _c, 'keep-alive': _k, ...answerHeaders } = answer.headers;
      if (hook?.matches(seen)) {
        const { action } = hook;
        hook = undefined;
        action();
      }
      outgoing.writeHead(answer.statusCode ?? 502, { ...answerHeaders, ...(refusing ? { connection: 'close' } : {}) });
      answer.pipe(outgoing);
    });
    // The origin closed the connection without an answer: so does the proxy.
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  };

  const listen = async () => {
    const next = createServer(forward);
    await new Promise<void>((resolve) => next.listen(port, '127.0.0.1', resolve));
    port = (next.address() as AddressInfo).port;
    server = next;
  };
  await listen();

  return {
    url: `http://127.0.0.1:${port}`,
    /** Stops listening now: new connections are refused. */
    refuse,
    /** Runs `action` once, when the origin has answered the next request matching `matches`, before the client gets that answer. */
    afterAnswer(matches: (request: ProxiedRequest) => boolean, action: () => void) {
      hook = { matches, action };
    },
    /** Listens again on the same port (and forgets a pending `afterAnswer`). */
    async accept() {
      hook = undefined;
      refusing = false;
      if (!server) await listen();
    },
    close: async () => {
      refuse();
    },
  };
}

export type SwitchableProxy = Awaited<ReturnType<typeof startSwitchableProxy>>;
