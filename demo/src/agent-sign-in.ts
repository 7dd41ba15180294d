import type { FastifyInstance } from 'fastify';

const WORKER_SID = /^WK[0-9a-f]{32}$/;

export interface AgentSignInOptions {
  /** The stand-in's origin: it issues the Flex tokens the middleware validates. */
  sandboxUrl: string;
  /** The middleware's public origin, given to the plugin as Flex's `custom_data.customChannelsMiddlewareUrl`. */
  middlewareUrl?: string;
}

/**
 * What Flex's login gives a real agent, for the demo page: the account's Flex configuration
 * (`GET /api/flex-config`) and the signed-in worker's Flex token, issued by the stand-in
 * (`POST /api/flex-token {"worker":"WK…"}`), which the plugin sends the middleware.
 */
export function registerAgentSignIn(app: FastifyInstance, options: AgentSignInOptions): void {
  app.get('/api/flex-config', async () => ({
    custom_data: options.middlewareUrl ? { customChannelsMiddlewareUrl: options.middlewareUrl } : {},
  }));
  app.post<{ Body: unknown }>('/api/flex-token', async (request, reply) => {
    const worker = (request.body as { worker?: unknown } | null)?.worker;
    if (typeof worker !== 'string' || !WORKER_SID.test(worker)) {
      return reply.code(400).send({ error: { code: 'invalid_body', field: '/worker', message: 'must be a worker SID (WK…)' } });
    }
    const response = await fetch(`${options.sandboxUrl}/sandbox/flex-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ worker }),
      signal: AbortSignal.timeout(10_000),
    });
    const issued = (await response.json().catch(() => ({}))) as { token?: string; identity?: string; error?: unknown };
    if (!response.ok || typeof issued.token !== 'string')
      return reply.code(502).send({ error: { code: 'token_unavailable', message: 'the stand-in did not issue a Flex token' } });
    return { token: issued.token, identity: issued.identity };
  });
}
