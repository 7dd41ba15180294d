import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChannelRuntime } from '../config/channels.js';
import { sendError } from '../http/errors.js';
import { type InboundMessage, validateInboundMessage } from '../inbound/inbound-message.js';
import type { InboundService } from '../inbound/inbound-service.js';
import type { Metrics } from '../observability/metrics.js';
import type { CustomerSubscription } from '../store/store.js';
import type { Translation } from './messenger-message.js';
import type { MessengerWebhook } from './messenger-webhook.js';

export interface MessengerRoutesDeps {
  /** The messenger channels, by type. */
  channels: ReadonlyMap<string, ChannelRuntime>;
  webhooks: MessengerWebhook[];
  inbound: InboundService;
  metrics: Metrics;
  bodyLimitBytes: number;
  /** A customer's read, on its way to the read horizon; coalesced, never queued with messages. */
  acceptRead?(channelType: string, customerId: string, upTo: string): void;
  /** Tells the agent of the customer's open conversation that the customer can no longer be reached. */
  noticeUnreachable?(channelType: string, customerId: string, notice: { id: string; text: string }): Promise<void>;
  /** Keeps the customer's subscription as the platform reports it. */
  recordSubscription?(channelType: string, customerId: string, subscription: CustomerSubscription): Promise<void>;
}

export const messengerWebhookPath = (adapter: string, channelType: string) => `/channels/${adapter}/${channelType}`;

/**
 * POST /channels/<platform>/:channelType, the platforms' own webhooks: unknown channel 404,
 * not from the platform 401 (nothing is parsed or kept), malformed 400. Events the channel
 * does not carry are answered 200 too: a platform redelivers whatever it sees refused.
 */
export async function messengerRoutes(app: FastifyInstance, deps: MessengerRoutesDeps): Promise<void> {
  app.removeAllContentTypeParsers();
  // LINE signs the raw bytes, so the body is kept as a Buffer and parsed after the check.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  for (const webhook of deps.webhooks) {
    const onRequest = async (request: FastifyRequest<{ Params: { channelType: string } }>, reply: FastifyReply) => {
      if (deps.channels.get(request.params.channelType)?.adapter !== webhook.adapter) {
        deps.metrics.inboundRequests.inc({ channel: 'unknown', outcome: 'unknown_channel' });
        return sendError(reply, 404, 'unknown_channel', `no ${webhook.adapter} channel "${request.params.channelType}" takes webhooks here`);
      }
    };
    const { handshake } = webhook;
    if (handshake) {
      app.get<{ Params: { channelType: string }; Querystring: Record<string, unknown> }>(
        messengerWebhookPath(webhook.adapter, ':channelType'),
        { onRequest },
        async (request, reply) => {
          const channel = deps.channels.get(request.params.channelType)!;
          const answer = handshake(channel, request.query);
          if (!answer.ok) {
            deps.metrics.inboundRequests.inc({ channel: channel.channelType, outcome: 'verification_refused' });
            return sendError(reply, 403, 'verification_refused', answer.message);
          }
          return reply.code(200).type('text/plain; charset=utf-8').send(answer.challenge);
        },
      );
    }
    app.post<{ Params: { channelType: string }; Body: Buffer }>(
      messengerWebhookPath(webhook.adapter, ':channelType'),
      { bodyLimit: deps.bodyLimitBytes, onRequest },
      async (request, reply) => {
        const channel = deps.channels.get(request.params.channelType)!;
        const reject = (status: number, code: string, message: string, field?: string) => {
          deps.metrics.inboundRequests.inc({ channel: channel.channelType, outcome: code });
          return sendError(reply, status, code, message, field);
        };
        if (!Buffer.isBuffer(request.body) || !webhook.verify(channel, request.headers, request.body)) {
          return reject(401, 'invalid_signature', webhook.unverified);
        }
        let body: unknown;
        try {
          const text = request.body.toString('utf8');
          body = webhook.parse ? webhook.parse(text) : JSON.parse(text);
        } catch {
          return reject(400, 'invalid_json', 'the body is not valid JSON');
        }
        const translated = await webhook.translate(channel, body);
        if (!translated.ok) return reject(400, 'invalid_body', `${translated.field} ${translated.message}`, translated.field);

        const results = [];
        for (const translation of translated.translations) {
          if (translation.kind === 'read') {
            deps.acceptRead?.(channel.channelType, translation.customerId, translation.upTo);
            deps.metrics.inboundRequests.inc({ channel: channel.channelType, outcome: 'read' });
            results.push({ status: 'read' });
            continue;
          }
          if (translation.kind === 'unreachable') {
            await deps.noticeUnreachable?.(channel.channelType, translation.customerId, { id: translation.noticeId, text: translation.why });
            deps.metrics.inboundRequests.inc({ channel: channel.channelType, outcome: 'unreachable' });
            results.push({ status: 'noted' });
            continue;
          }
          if (translation.kind === 'subscription') {
            await deps.recordSubscription?.(channel.channelType, translation.customerId, { subscribed: translation.subscribed, at: translation.at });
            deps.metrics.inboundRequests.inc({ channel: channel.channelType, outcome: 'subscription' });
            results.push({ status: 'noted' });
            continue;
          }
          const acceptable = toAcceptable(translation, channel.maxMessageLength);
          if ('reason' in acceptable) {
            deps.metrics.inboundRequests.inc({ channel: channel.channelType, outcome: 'ignored' });
            results.push({ status: 'ignored', reason: acceptable.reason });
          } else {
            results.push({ status: await deps.inbound.accept(channel, acceptable.message), id: acceptable.message.id });
          }
        }
        return reply.code(200).send({ results });
      },
    );
  }
}

/**
 * A translated message checked by the generic protocol's rules, so that the outbox only ever
 * holds what Flex takes. Its files are platform references the protocol's schema does not
 * take: they were checked against the channel's rules when translated, and are set aside here.
 */
function toAcceptable(
  translation: Extract<Translation, { kind: 'message' | 'ignored' }>,
  maxMessageLength: number,
): { message: InboundMessage } | { reason: string } {
  if (translation.kind === 'ignored') return { reason: translation.reason };
  const { media, ...rest } = translation.message;
  const textless = rest.text === undefined && media !== undefined;
  const validation = validateInboundMessage(textless ? { ...rest, text: '-' } : rest, maxMessageLength);
  if (!validation.ok) return { reason: `${validation.field} ${validation.message}` };
  const { text, ...checked } = validation.message;
  return { message: { ...checked, ...(textless ? {} : { text }), ...(media ? { media } : {}) } };
}
