import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import type { LogHasher } from '../observability/log-hash.js';
import type { WakeWorker } from '../outbox/outbox-worker.js';
import type { Logger } from '../observability/logger.js';
import { type ErasureReport, TwilioErasureError } from '../retention/erasure.js';
import { isQueue, listDeadLetters, retryAllDeadLetters, retryDeadLetter } from '../reliability/dead-letters.js';
import type { Store } from '../store/store.js';
import { sendError } from './errors.js';

export interface AdminRoutesDeps {
  store: Store;
  /** ADMIN_TOKEN; the routes answer 503 without it, never unauthenticated. */
  adminToken: string | undefined;
  logger: Logger;
  /** Stands in for customer and visitor ids in log lines. */
  hashForLog: LogHasher;
  /** Called with the queue a dead letter went back to. */
  wake: WakeWorker;
  /** Deletes everything held about one customer of one channel (and, asked for, their Twilio resources). */
  erase: (channelType: string, customerId: string, withTwilio: boolean) => Promise<ErasureReport>;
}

/** Compares in constant time, whatever the lengths: both sides are hashed to 32 bytes first. */
export function tokenMatches(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** An onRequest hook letting through only `Authorization: Bearer <ADMIN_TOKEN>` (503 while ADMIN_TOKEN is unset). */
export function requireAdminToken(adminToken: string | undefined, logger: Logger): onRequestHookHandler {
  return async (request, reply) => {
    if (!adminToken) {
      return sendError(reply, 503, 'admin_disabled', 'the admin endpoints are disabled: set ADMIN_TOKEN (at least 32 characters) to enable them');
    }
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match || !tokenMatches(match[1]!, adminToken)) {
      logger.warn({ route: request.routeOptions.url }, 'admin request refused: missing or wrong bearer token');
      reply.header('www-authenticate', 'Bearer realm="admin"');
      return sendError(reply, 401, 'unauthorized', 'send Authorization: Bearer <ADMIN_TOKEN>');
    }
  };
}

/**
 * The dead-letter admin API, behind `Authorization: Bearer <ADMIN_TOKEN>`:
 * `GET /admin/dead-letters[?queue=&limit=&afterId=&include=payload]`,
 * `POST /admin/dead-letters/:id/retry`, `POST /admin/dead-letters/retry-all[?queue=]`;
 * and erasure: `DELETE /admin/customers/:channelType/:customerId[?twilio=true]`.
 */
export async function adminRoutes(app: FastifyInstance, deps: AdminRoutesDeps): Promise<void> {
  app.addHook('onRequest', requireAdminToken(deps.adminToken, deps.logger));

  app.get<{ Querystring: Record<string, string | undefined> }>('/admin/dead-letters', async (request, reply) => {
    const { queue, limit, afterId, include } = request.query;
    if (queue !== undefined && !isQueue(queue)) return sendError(reply, 400, 'invalid_query', 'queue must be to-flex or to-channel', 'queue');
    if (limit !== undefined && !/^\d{1,4}$/.test(limit)) return sendError(reply, 400, 'invalid_query', 'limit must be a number up to 9999', 'limit');
    if (afterId !== undefined && !/^\d{1,15}$/.test(afterId)) return sendError(reply, 400, 'invalid_query', 'afterId must be an entry id', 'afterId');
    const deadLetters = await listDeadLetters(deps.store, deps.hashForLog, {
      queue,
      limit: limit === undefined ? 100 : Math.max(1, Number(limit)),
      afterId: afterId === undefined ? undefined : Number(afterId),
      includePayload: include === 'payload',
    });
    if (include === 'payload') deps.logger.info({ count: deadLetters.length }, 'dead letters listed with their payloads');
    return { deadLetters };
  });

  app.post<{ Params: { id: string } }>('/admin/dead-letters/:id/retry', async (request, reply) => {
    if (!/^\d{1,15}$/.test(request.params.id)) return sendError(reply, 400, 'invalid_id', 'the id must be a dead letter id (a number)', 'id');
    const retried = await retryDeadLetter(deps.store, Number(request.params.id));
    if (!retried) return sendError(reply, 404, 'not_found', `no dead letter ${request.params.id}`);
    deps.logger.info({ entryId: retried.id, newId: retried.newId, queue: retried.queue }, 'dead letter queued again');
    deps.wake(retried.queue);
    return reply.code(202).send({ status: 'queued', ...retried });
  });

  app.post<{ Querystring: { queue?: string } }>('/admin/dead-letters/retry-all', async (request, reply) => {
    const { queue } = request.query;
    if (queue !== undefined && !isQueue(queue)) return sendError(reply, 400, 'invalid_query', 'queue must be to-flex or to-channel', 'queue');
    const retried = await retryAllDeadLetters(deps.store, queue);
    deps.logger.info({ count: retried.length, queue }, 'dead letters queued again');
    for (const q of new Set(retried.map((entry) => entry.queue))) deps.wake(q);
    return reply.code(202).send({ status: 'queued', retried });
  });

  app.delete<{ Params: { channelType: string; customerId: string }; Querystring: { twilio?: string } }>(
    '/admin/customers/:channelType/:customerId',
    async (request, reply) => {
      const { channelType, customerId } = request.params;
      const { twilio } = request.query;
      if (twilio !== undefined && twilio !== 'true' && twilio !== 'false')
        return sendError(reply, 400, 'invalid_query', 'twilio must be true or false', 'twilio');
      let erased: ErasureReport;
      try {
        erased = await deps.erase(channelType, customerId, twilio === 'true');
      } catch (error) {
        if (!(error instanceof TwilioErasureError)) throw error;
        deps.logger.warn({ err: error, channel: channelType, customer: deps.hashForLog(customerId) }, 'customer not erased: Twilio failed');
        return sendError(reply, 502, 'twilio_failed', error.message);
      }
      deps.logger.info({ channel: channelType, customer: deps.hashForLog(customerId), ...erased }, 'customer erased');
      return { erased };
    },
  );
}
