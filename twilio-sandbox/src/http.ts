import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { serializeError } from '@custom-channels/logging';
import type { Ctx } from './context.js';
import { newSid } from './sids.js';
import type { EventOrigin } from './event-origin.js';
import { authError, errorBody, invalidParam, notFound, serverError, tooManyRequests, TwilioApiError } from './errors.js';
import { Params } from './form.js';
import { announceAccepted } from './request-events.js';
import { validateParams, type ParamDecls } from './validate.js';

/** The products served, each under its Twilio host's first label. */
export const PRODUCTS = ['conversations', 'flex-api', 'taskrouter', 'studio', 'content', 'mcs', 'iam'] as const;
export type Product = (typeof PRODUCTS)[number];

export interface ApiRequest {
  /** Path parameters, by the names used in Twilio's spec (Sid, ConversationSid, ...). */
  params: Record<string, string>;
  body: Params;
  /** A JSON body (the few operations that take `application/json`); `{}` otherwise. */
  json: Record<string, unknown>;
  query: Params;
  /** `X-Twilio-Webhook-Enabled: true` was sent. */
  webhookEnabled: boolean;
  /** The path as on Twilio's host, e.g. /v1/Conversations/CH... */
  twilioPath: string;
}

export interface ApiResult {
  status: number;
  body?: unknown;
}

export interface RouteSpec {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path below the product, with `:Name` parameters, e.g. '/v1/Conversations/:Sid'. */
  path: string;
  /** Path parameters that must be SIDs with this prefix (anything else is a 404, as Twilio). */
  sids?: Record<string, string>;
  body?: ParamDecls;
  query?: ParamDecls;
  handler: (req: ApiRequest) => ApiResult | Promise<ApiResult>;
}

export type RouteTable = (product: Product, spec: RouteSpec) => void;

/** The resource the request's path names, or Twilio's 404 for that path. */
export function found<T>(req: ApiRequest, resource: T | undefined): T {
  if (!resource) throw notFound(req.twilioPath);
  return resource;
}

/** Where a REST call's events come from; the header decides service-level webhooks. */
export function restOrigin(req: ApiRequest): EventOrigin {
  return { source: 'API', webhookEnabled: req.webhookEnabled };
}

export function createHttpServer(ctx: Ctx, logger: boolean): FastifyInstance {
  // Request errors go through the same allow-list as the middleware's: never an error whole.
  // A stand-in stops at once: connections a browser or a client keeps open do not hold it up.
  const app = Fastify({ logger: logger && { serializers: { err: serializeError } }, bodyLimit: 1024 * 1024, forceCloseConnections: true });

  // Twilio's APIs take form-encoded bodies; anything else is read as text and parsed as a form.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, new Params(body as string));
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('Twilio-Request-Id', newSid('RQ'));
    const product = productOf(req.url);
    if (!product) return;
    if (!authorised(ctx, req.headers.authorization)) throw authError();
    const path = req.url.slice(product.length + 1);
    const decision = ctx.faults.forRequest(product, req.method, path);
    if (decision.latencyMs > 0) await ctx.scheduler.sleep(decision.latencyMs);
    if (decision.kind === 'reset') {
      reply.hijack();
      req.raw.socket.destroy();
      return;
    }
    if (decision.kind === 'error') {
      throw decision.status === 429 ? tooManyRequests(decision.retryAfterSeconds) : serverError(decision.status);
    }
  });

  app.setNotFoundHandler((req, reply) => {
    const product = productOf(req.url);
    const path = (product ? req.url.slice(product.length + 1) : req.url).split('?')[0]!;
    sendError(reply, notFound(path));
  });

  app.setErrorHandler((err: unknown, req, reply) => {
    if (err instanceof TwilioApiError) return sendError(reply, err);
    const e = err as { statusCode?: number; message?: string };
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return sendError(reply, new TwilioApiError(e.statusCode === 415 ? 400 : e.statusCode, 20001, e.message ?? 'Bad request'));
    }
    req.log.error(err);
    ctx.log('unexpected error', { error: serializeError(err) });
    return sendError(reply, serverError(500));
  });

  return app;
}

function jsonObjectBody(raw: unknown): Record<string, unknown> {
  return raw && typeof raw === 'object' && !(raw instanceof Params) && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
}

function sendError(reply: FastifyReply, err: TwilioApiError): FastifyReply {
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  return reply
    .code(err.status)
    .type('application/json')
    .send(errorBody(err.status, err.code, err.message));
}

function productOf(url: string): Product | undefined {
  const first = url.split('?')[0]!.split('/')[1];
  return (PRODUCTS as readonly string[]).includes(first ?? '') ? (first as Product) : undefined;
}

function authorised(ctx: Ctx, header: string | undefined): boolean {
  if (!header || !header.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const user = decoded.slice(0, colon);
  const pass = decoded.slice(colon + 1);
  if (user === ctx.accountSid) return pass === ctx.authToken;
  const secret = ctx.apiKeys.get(user);
  return secret !== undefined && secret === pass;
}

/** Registers Twilio-style routes: SID checks, parameter validation, Twilio error shapes. */
export function routeTable(app: FastifyInstance): RouteTable {
  return (product, spec) => {
    const url = `/${product}${spec.path}`;
    app.route({
      method: spec.method,
      url,
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        const params = (req.params ?? {}) as Record<string, string>;
        const twilioPath = req.url.slice(product.length + 1).split('?')[0]!;
        for (const [name, prefix] of Object.entries(spec.sids ?? {})) {
          const v = params[name];
          if (v === undefined || !new RegExp(`^${prefix}[0-9a-fA-F]{32}$`).test(v)) throw notFound(twilioPath);
        }
        const body = req.body instanceof Params ? req.body : new Params(typeof req.body === 'string' ? req.body : '');
        const query = Params.fromUrl(req.url);
        const hook = req.headers['x-twilio-webhook-enabled'];
        const hookValue = Array.isArray(hook) ? hook[0] : hook;
        if (hookValue !== undefined && !/^(true|false)$/i.test(hookValue)) {
          throw invalidParam('X-Twilio-Webhook-Enabled', `'${hookValue}' is not one of true, false`);
        }
        validateParams(body, spec.body, 'body');
        validateParams(query, spec.query, 'query');
        const result = await spec.handler({
          params,
          body,
          json: jsonObjectBody(req.body),
          query,
          webhookEnabled: hookValue?.toLowerCase() === 'true',
          twilioPath,
        });
        if (result.status < 400)
          announceAccepted({
            product,
            method: spec.method,
            path: twilioPath,
            query,
            body,
            webhookEnabledHeader: hookValue,
          });
        reply.code(result.status);
        if (result.status === 204 || result.body === undefined) return reply.send();
        return reply.type('application/json').send(result.body);
      },
    });
  };
}
