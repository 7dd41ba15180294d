import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../observability/metrics.js';
import { probes } from '../observability/probes.js';
import type { FlexEventHandler } from '../outbound/flex-event-handler.js';
import type { ParsedEvent } from '../outbound/twilio-events.js';
import { parseWebhookForm, TooManyParamsError, type WebhookParams } from '../twilio/webhook-form.js';
import type { TwilioRequestVerifier } from '../security/twilio-signature.js';
import { sendError } from './errors.js';

/** Base64 of an HMAC-SHA1: what X-Twilio-Signature always is. */
const SIGNATURE_FORMAT = /^[A-Za-z0-9+/]{27}=$/;

export const TWILIO_WEBHOOK_PATHS = { conversations: '/twilio/conversations' } as const;

export interface TwilioRoutesDeps {
  verify: TwilioRequestVerifier;
  parse: (params: WebhookParams) => ParsedEvent;
  path: string;
  kind: string;
  handle: FlexEventHandler;
  metrics: Metrics;
  /** The largest body and the most form parameters taken (TWILIO_WEBHOOK_*). */
  limits: { bodyBytes: number; params: number };
}

/**
 * A Twilio webhook endpoint: signature checked first (403), then the event recorded and
 * answered at once; the delivery itself happens afterwards, from the outbox. What can be
 * refused without reading the body is: a missing or malformed signature (403), a body over
 * the limit (413); a form with too many parameters is refused (400) before it is parsed.
 */
export async function twilioRoutes(app: FastifyInstance, deps: TwilioRoutesDeps): Promise<void> {
  const count = (outcome: string) => deps.metrics.twilioWebhooks.inc({ kind: deps.kind, outcome });
  app.addHook('onRequest', async (request, reply) => {
    const signature = request.headers['x-twilio-signature'];
    if (typeof signature !== 'string' || !SIGNATURE_FORMAT.test(signature)) {
      count('forbidden');
      return sendError(reply, 403, 'invalid_twilio_signature', 'X-Twilio-Signature is missing or malformed');
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: deps.limits.bodyBytes }, (_request, body, done) => {
    try {
      done(null, parseWebhookForm(body as string, deps.limits.params));
    } catch (error) {
      if (!(error instanceof TooManyParamsError)) throw error;
      count('invalid');
      done(Object.assign(error, { statusCode: 400 }), undefined);
    }
  });

  app.post<{ Body: WebhookParams }>(deps.path, async (request, reply) => {
    const params = request.body && typeof request.body === 'object' ? request.body : {};
    if (!deps.verify(request.url, request.headers['x-twilio-signature'] as string | undefined, params)) {
      count('forbidden');
      return sendError(reply, 403, 'invalid_twilio_signature', 'X-Twilio-Signature is missing or invalid for this URL');
    }
    const parsed = deps.parse(params);
    if (!parsed.ok) {
      count('invalid');
      return sendError(reply, 400, 'invalid_webhook', parsed.message, parsed.field);
    }
    const token = request.headers['i-twilio-idempotency-token'];
    if (probes.webhookReceived.hasSubscribers && parsed.event.kind === 'message') {
      probes.webhookReceived.publish({ request: request.raw, messageSid: parsed.event.messageSid });
    }
    const outcome = await deps.handle(parsed.event, typeof token === 'string' && token ? token : undefined);
    count(outcome);
    return reply.code(200).send({ status: outcome });
  });
}
