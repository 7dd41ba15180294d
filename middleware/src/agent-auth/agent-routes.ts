import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../http/errors.js';
import type { Logger } from '../observability/logger.js';
import type { FlexAgent, FlexTokenValidator, TokenRefusal } from '../flex/flex-token-validator.js';

/** How long a browser may reuse a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export interface AgentAuth {
  validator: FlexTokenValidator;
  /** FLEX_ALLOWED_ORIGINS: the Flex origins whose pages may call agent routes. */
  allowedOrigins: readonly string[];
  logger: Logger;
}

const agents = new WeakMap<FastifyRequest, FlexAgent>();

/** The agent whose Flex token authenticated this request; only inside a scope protected by protectAgentRoutes. */
export function agentOf(request: FastifyRequest): FlexAgent {
  const agent = agents.get(request);
  if (!agent) throw new Error('agentOf: the route is not behind protectAgentRoutes');
  return agent;
}

const REFUSAL_MESSAGES: Record<Exclude<TokenRefusal, 'unavailable'>, string> = {
  malformed: 'the Authorization header does not carry a Flex token',
  rejected: "Twilio does not accept this Flex token for this account (log in to Flex again, or check it is this account's Flex)",
  expired: 'the Flex token has expired; Flex renews it, try again',
  no_worker: 'the Flex token belongs to a user who is not a TaskRouter worker (agent)',
};

/**
 * Makes every route of an encapsulated fastify scope an agent route: browsers only from the
 * operator's Flex origins (CORS answered here, preflights included), and every other request
 * carries `Authorization: Bearer <Flex token>` that Twilio's IAM accepts for this account; the
 * handler reads the agent with agentOf(request). Register the scope with a prefix of its own
 * (`/agent/<feature>`): the preflight routes are `<prefix>` and `<prefix>/*`.
 */
export function protectAgentRoutes(scope: FastifyInstance, auth: AgentAuth): void {
  const isAllowed = (origin: string) => auth.allowedOrigins.includes(origin);
  const refuseOrigin = (reply: FastifyReply, origin: string) =>
    sendError(
      reply.header('vary', 'Origin'),
      403,
      'origin_not_allowed',
      `agent requests from ${origin.slice(0, 200)} are not allowed; the operator lists the Flex origins in FLEX_ALLOWED_ORIGINS`,
      '/origin',
    );

  const preflight = async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (origin === undefined) return sendError(reply, 400, 'origin_required', 'a preflight request names its Origin', '/origin');
    if (!isAllowed(origin)) return refuseOrigin(reply, origin);
    return reply
      .code(204)
      .header('access-control-allow-origin', origin)
      .header('access-control-allow-methods', 'GET, POST')
      .header('access-control-allow-headers', 'authorization, content-type, idempotency-key')
      .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS))
      .header('vary', 'Origin')
      .send();
  };
  scope.options('/', preflight);
  scope.options('/*', preflight);

  scope.addHook('onRequest', async (request, reply) => {
    if (request.method === 'OPTIONS') return;
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (!isAllowed(origin)) return refuseOrigin(reply, origin);
      // On every answer, errors included, so the plugin can read why.
      reply.header('access-control-allow-origin', origin).header('access-control-expose-headers', 'Retry-After').header('vary', 'Origin');
    }
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) {
      return sendError(
        reply.header('www-authenticate', 'Bearer'),
        401,
        'agent_token_required',
        "send the agent's Flex token as Authorization: Bearer <token>",
        '/authorization',
      );
    }
    const verdict = await auth.validator.validate(token);
    if (verdict.ok) {
      agents.set(request, verdict.agent);
      return;
    }
    if (verdict.refusal === 'unavailable') {
      auth.logger.warn({ refusal: verdict.refusal }, 'Flex token validation is unavailable (Twilio IAM unreachable or refusing our credentials)');
      return sendError(
        reply.header('retry-after', '5'),
        503,
        'agent_auth_unavailable',
        'the Flex token could not be checked right now; nothing was done, try again',
      );
    }
    return sendError(
      reply.header('www-authenticate', 'Bearer error="invalid_token"'),
      401,
      'agent_token_invalid',
      REFUSAL_MESSAGES[verdict.refusal],
      '/authorization',
    );
  });
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+?)\s*$/i.exec(header ?? '');
  return match?.[1];
}
