import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChannelDefinition } from '@custom-channels/contract';
import Fastify, { type FastifyInstance } from 'fastify';
import { verifyBodySignature } from '@custom-channels/middleware/security/hub-signature';
import { agentMediaRoutes } from './agent-media-routes.js';

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
  channels: ChannelDefinition[];
  /** The demo secret of the `webhook` channels: deliveries to /deliveries/:channelType are checked with it. */
  webhookSecret: string;
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
  '/agent.js': { file: 'agent.js', type: 'text/javascript; charset=utf-8' },
  '/agent.css': { file: 'agent.css', type: 'text/css; charset=utf-8' },
  '/attachments.js': { file: 'attachments.js', type: 'text/javascript; charset=utf-8' },
  '/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

const TASK_SID = /^WT[0-9a-f]{32}$/;

/**
 * The agent view, standing in for Flex: a page and a same-origin JSON API over the
 * stand-in's control API (tasks, accept, messages, reply, complete), plus the channel
 * definitions from channels.json so tasks show with their icon, color and templates.
 * Also a small receiver for the demo's `webhook` channels (chatapp), which logs what it gets.
 */
export async function startAgentView(options: AgentViewOptions): Promise<AgentView> {
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  const deliveries: ReceivedDelivery[] = [];

  for (const [path, { file, type }] of Object.entries(FILES)) {
    const content = await readFile(join(AGENT_PUBLIC_DIR, file));
    app.get(path, async (_request, reply) => {
      reply.type(type).header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff');
      if (file === 'index.html') {
        reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
      }
      return reply.send(content);
    });
  }

  app.get('/api/channels', async () => ({
    channels: options.channels.map(({ channelType, displayName, color, icon, templates }) => ({
      channelType,
      displayName,
      color,
      icon,
      templates: templates ?? {},
    })),
  }));

  const control = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await fetch(`${options.sandboxUrl}/sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  app.get('/api/tasks', async (_request, reply) => {
    const { status, body } = await control('GET', '/tasks');
    return reply.code(status).send(body);
  });

  app.get<{ Params: { sid: string } }>('/api/tasks/:sid/messages', async (request, reply) => {
    if (!TASK_SID.test(request.params.sid)) return reply.code(400).send({ error: { code: 'invalid_task', message: 'not a task SID' } });
    const { status, body } = await control('GET', `/tasks/${request.params.sid}/messages`);
    return reply.code(status).send(body);
  });

  app.post<{ Params: { sid: string; action: string }; Body: unknown }>('/api/tasks/:sid/:action', async (request, reply) => {
    const { sid, action } = request.params;
    if (!TASK_SID.test(sid)) return reply.code(400).send({ error: { code: 'invalid_task', message: 'not a task SID' } });
    if (action === 'accept' || action === 'complete') {
      const { status, body } = await control('POST', `/tasks/${sid}/${action}`, { agent: 'agent' });
      return reply.code(status).send(body);
    }
    if (action === 'messages') {
      const text = (request.body as { body?: unknown } | undefined)?.body;
      if (typeof text !== 'string' || text.trim() === '' || text.length > 32_768) {
        return reply.code(400).send({
          error: {
            code: 'invalid_body',
            field: '/body',
            message: 'must be a non-empty string of at most 32768 characters',
          },
        });
      }
      const { status, body } = await control('POST', `/tasks/${sid}/messages`, { body: text });
      return reply.code(status).send(body);
    }
    return reply.code(404).send({ error: { code: 'not_found', message: `no action ${action}` } });
  });

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
      const signatureValid = verifyBodySignature(options.webhookSecret, raw, request.headers['x-hub-signature-256'] as string | undefined);
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
  await app.register(agentMediaRoutes, { sandboxUrl: options.sandboxUrl });

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
