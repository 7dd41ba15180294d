import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../observability/metrics.js';
import { probes } from '../observability/probes.js';
import type { FlexEventHandler } from '../outbound/flex-event-handler.js';
import type { ParsedEvent } from '../outbound/twilio-events.js';
import { parseWebhookForm, type WebhookParams } from '../twilio/webhook-form.js';
import type { TwilioRequestVerifier } from '../security/twilio-signature.js';
import { sendError } from './errors.js';

const TWILIO_BODY_LIMIT_BYTES = 512 * 1024;

export const TWILIO_WEBHOOK_PATHS = { conversations: '/twilio/conversations', chat: '/twilio/chat' } as const;

export interface TwilioRoutesDeps {
  verify: TwilioRequestVerifier;
  parse: (params: WebhookParams) => ParsedEvent;
  path: string;
  kind: string;
  handle: FlexEventHandler;
  metrics: Metrics;
}

/**
 * A Twilio webhook endpoint: signature checked first (403), then the event recorded and
 * answered at once; the delivery itself happens afterwards, from the outbox.
 */
export async function twilioRoutes(app: FastifyInstance, deps: TwilioRoutesDeps): Promise<void> {
  // A 32 KB chat message grows when form-encoded; Twilio's requests are trusted only after the signature check.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: TWILIO_BODY_LIMIT_BYTES }, (_request, body, done) => {
    done(null, parseWebhookForm(body as string));
  });

  app.post<{ Body: WebhookParams }>(deps.path, async (request, reply) => {
    const count = (outcome: string) => deps.metrics.twilioWebhooks.inc({ kind: deps.kind, outcome });
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
