import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChannelDefinition } from '@custom-channels/contract';
import Fastify, { type FastifyInstance } from 'fastify';
import { isSignedDelivery } from '@custom-channels/middleware';
import { registerControlProxy } from './control-proxy.js';
import { buildFlexPage, ensurePluginBuild } from './flex-preview/build.js';
import { agentMediaRoutes } from './agent-media-routes.js';
import { registerAgentSignIn } from './agent-sign-in.js';

export const AGENT_PUBLIC_DIR = fileURLToPath(new URL('../public/agent/', import.meta.url));

export interface ReceivedDelivery {
  at: string;
  channelType: string;
  signatureValid: boolean;
  event: unknown;
}

export interface AgentViewOptions {
  host: string;
  port: number;
  /** The stand-in's origin: its /sandbox control API is the agent's side of Flex. */
  sandboxUrl: string;
  /** The demo secret of the `webhook` channels: deliveries to /deliveries/:channelType are checked with it. */
  webhookSecret: string;
  /** The demo's channels: the page checks an agent's file against their `media` before sending it. */
  channels: ChannelDefinition[];
  /** The middleware's public origin: the plugin's New message control calls it (the page may connect there). */
  middlewareUrl?: string;
  /** Called for each delivery to the receiver (the demo prints it). */
  onDelivery?: (received: ReceivedDelivery) => void;
}

export interface AgentView {
  url: string;
  /** Where a `webhook` channel of the demo (chatapp) delivers agent replies and events. */
  deliveryUrlFor(channelType: string): string;
  deliveries: ReceivedDelivery[];
  close(): Promise<void>;
}

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/agent.css': { file: 'agent.css', type: 'text/css; charset=utf-8' },
  '/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

// Flex compiles its templates at run time (Handlebars) and styles itself inline (emotion);
// scripts and fonts stay on this origin, requests go to it and to the middleware, and no inline script runs.
function contentSecurityPolicy(middlewareUrl: string | undefined): string {
  const connect = ["'self'", ...(middlewareUrl ? [new URL(middlewareUrl).origin] : [])].join(' ');
  return `default-src 'self'; script-src 'self' 'unsafe-eval'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src ${connect}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

async function pageFiles(): Promise<Array<{ path: string; content: Buffer; type: string }>> {
  const files = await Promise.all(
    Object.entries(FILES).map(async ([path, { file, type }]) => ({ path, type, content: await readFile(join(AGENT_PUBLIC_DIR, file)) })),
  );
  const script = 'text/javascript; charset=utf-8';
  files.push({ path: '/page.js', type: script, content: await readFile(await buildFlexPage()) });
  files.push({ path: '/plugin-custom-channels.js', type: script, content: await readFile(ensurePluginBuild()) });
  return files;
}

/**
 * The agent view: the real Flex UI's components with the built plugin (a page bundled at
 * start, cached), and a same-origin JSON API over the stand-in's control API. Also a small
 * receiver for the demo's `webhook` channels (chatapp), which logs what it gets.
 */
export async function startAgentView(options: AgentViewOptions): Promise<AgentView> {
  // Ctrl-C stops the demo at once: connections the browser keeps open do not hold it up.
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 64 * 1024, forceCloseConnections: true });
  const deliveries: ReceivedDelivery[] = [];
  const policy = contentSecurityPolicy(options.middlewareUrl);

  for (const { path, content, type } of await pageFiles()) {
    app.get(path, async (_request, reply) => {
      reply.type(type).header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff');
      if (path === '/') reply.header('content-security-policy', policy);
      return reply.send(content);
    });
  }
  registerControlProxy(app, options.sandboxUrl);
  registerAgentSignIn(app, { sandboxUrl: options.sandboxUrl, middlewareUrl: options.middlewareUrl });

  // The webhook channels' "app": verifies the signature and logs the event. Its own scope
  // keeps the raw body (the signature covers the bytes) without changing the API's parsing.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.post<{ Body: Buffer; Params: { channelType: string } }>('/deliveries/:channelType', async (request, reply) => {
      const raw = request.body;
      let event: unknown;
      try {
        event = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply.code(400).send({ error: { code: 'invalid_json', message: 'the body is not valid JSON' } });
      }
      const signatureValid = isSignedDelivery(options.webhookSecret, raw, request.headers);
      const received = {
        at: new Date().toISOString(),
        channelType: request.params.channelType,
        signatureValid,
        event,
      };
      deliveries.push(received);
      if (deliveries.length > 100) deliveries.shift();
      options.onDelivery?.(received);
      return reply.code(signatureValid ? 204 : 401).send();
    });
  });
  app.get('/api/deliveries', async () => ({ deliveries }));
  await app.register(agentMediaRoutes, { sandboxUrl: options.sandboxUrl, channels: options.channels });

  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`;
  return {
    url,
    deliveryUrlFor: (channelType) => `${url}/deliveries/${encodeURIComponent(channelType)}`,
    deliveries,
    close: () => app.close(),
  };
}
