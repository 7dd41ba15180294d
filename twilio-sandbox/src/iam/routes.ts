import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.js';
import { authError, invalidParam } from '../errors.js';
import { jsonBody } from '../control/request.js';
import { issueFlexToken, validateFlexToken } from './flex-tokens.js';

/**
 * IAM's Flex token validation, the endpoint Twilio's twilio-flex-token-validator calls:
 * `POST /v1/Accounts/{AccountSid}/Tokens/validate` with basic auth and a JSON `{"token"}`,
 * answered 200 with `valid` true or false. Twilio's OpenAPI specs do not describe it, so it
 * is served outside the spec-checked route table (basic auth and faults apply all the same).
 */
export function registerIamRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.post<{ Params: { AccountSid: string } }>('/iam/v1/Accounts/:AccountSid/Tokens/validate', async (request, reply) => {
    // The credentials are this account's; asking about another one is refused as Twilio refuses foreign resources.
    if (request.params.AccountSid !== ctx.accountSid) throw authError();
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) throw invalidParam('Content-Type', 'must be application/json');
    return reply.type('application/json').send(validateFlexToken(ctx, ctx.accountSid, jsonBody(request.body).token));
  });
}

/** `POST /sandbox/flex-tokens {worker, ttlSeconds?, accountSid?, roles?}`: the token Flex would give that agent at login. */
export function registerFlexTokenControl(app: FastifyInstance, ctx: Ctx): void {
  app.post('/flex-tokens', async (request) => {
    const body = jsonBody(request.body);
    if (typeof body.worker !== 'string') throw invalidParam('worker', 'name a worker (alice, bob, carol) or its WK SID');
    return issueFlexToken(ctx, {
      worker: body.worker,
      ...(typeof body.ttlSeconds === 'number' ? { ttlSeconds: body.ttlSeconds } : {}),
      ...(typeof body.accountSid === 'string' ? { accountSid: body.accountSid } : {}),
      ...(Array.isArray(body.roles) ? { roles: body.roles.filter((role): role is string => typeof role === 'string') } : {}),
    });
  });
}
