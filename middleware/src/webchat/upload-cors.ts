import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../http/errors.js';
import { isAllowedOrigin } from './allowed-origins.js';

/** How long a browser may reuse a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * Cross-origin uploads from the widget embedded on the operator's sites: only the origins
 * configured (WEBCHAT_ALLOWED_ORIGINS) and the middleware's own get CORS headers, judged as
 * the web chat's socket judges them; a browser
 * on any other site is refused with a 403 before anything is read.
 */
export function uploadCors(app: FastifyInstance, path: string, allowedOrigins: readonly string[], publicBaseUrl?: string): void {
  /** undefined: no Origin (not a browser's cross-origin request, the token decides); else whether it may. */
  const judge = (request: FastifyRequest): { origin: string; allowed: boolean } | undefined => {
    const origin = request.headers.origin;
    if (origin === undefined) return undefined;
    return { origin, allowed: isAllowedOrigin(origin, { host: request.headers.host, publicBaseUrl }, allowedOrigins) };
  };
  const refuse = (reply: FastifyReply, origin: string) =>
    sendError(
      reply.header('vary', 'Origin'),
      403,
      'origin_not_allowed',
      `uploads from ${origin.slice(0, 200)} are not allowed; the operator lists the sites that may embed the chat`,
      '/origin',
    );

  app.options(path, async (request, reply) => {
    const verdict = judge(request);
    if (!verdict) return sendError(reply, 400, 'origin_required', 'a preflight request names its Origin', '/origin');
    if (!verdict.allowed) return refuse(reply, verdict.origin);
    return reply
      .code(204)
      .header('access-control-allow-origin', verdict.origin)
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', 'authorization, content-type')
      .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS))
      .header('vary', 'Origin')
      .send();
  });
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'POST') return;
    const verdict = judge(request);
    if (!verdict) return;
    if (!verdict.allowed) return refuse(reply, verdict.origin);
    // On every answer, errors included, so the widget can read why.
    reply.header('access-control-allow-origin', verdict.origin).header('access-control-expose-headers', 'Retry-After').header('vary', 'Origin');
  });
}
