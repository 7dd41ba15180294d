import type { FastifyInstance } from 'fastify';
import type { ChannelRuntime } from '../config/channels.js';
import { validateInboundMessage } from '../inbound/inbound-message.js';
import type { InboundService } from '../inbound/inbound-service.js';
import { checkInboundAttachments } from '../media/inbound-attachments.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { probes } from '../observability/probes.js';
import { isReadBody, validateInboundRead } from '../receipts/inbound-read.js';
import { DEFAULT_SIGNATURE_TOLERANCE_SECONDS, verifySignedRequest } from '../security/hub-signature.js';
import { sendError } from './errors.js';

export interface InboundRoutesDeps {
  /** Channels that accept signed HTTP messages (those with a secret). */
  channels: ReadonlyMap<string, ChannelRuntime>;
  inbound: InboundService;
  /** Takes a customer's read event (`{"type":"read"}`); coalesced, never queued with messages. */
  acceptRead: (channelType: string, customerId: string, upTo: string) => void;
  metrics: Metrics;
  bodyLimitBytes: number;
  /** How far a request's X-Channel-Timestamp may be from now, either way (default 300 s). */
  signatureToleranceSeconds?: number;
  /** The clock timestamps are checked against, in milliseconds (tests set it). */
  now?: () => number;
}

/** Said once at start for each channel that still takes the body-only signature, which never goes stale. */
export function warnAboutLegacySignatures(channels: ReadonlyMap<string, ChannelRuntime>, logger: Logger): void {
  for (const channel of channels.values()) {
    if (channel.legacyBodySignature) {
      logger.warn(
        { channel: channel.channelType },
        'channel accepts the legacy body-only X-Hub-Signature-256 (legacyBodySignature): its captured requests can be replayed; move its senders to X-Channel-Timestamp and X-Channel-Signature, then remove the setting',
      );
    }
  }
}

/**
 * POST /inbound/:channelType, checked in this order, each before anything reaches Twilio:
 * unknown channel 404, body over the limit 413, media type other than JSON 415, signature and
 * its timestamp 401, JSON and fields 400 (a text longer than the channel's maxMessageLength too).
 */
export async function inboundRoutes(app: FastifyInstance, deps: InboundRoutesDeps): Promise<void> {
  const now = deps.now ?? Date.now;
  const toleranceSeconds = deps.signatureToleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  // Only JSON is taken: without fastify's default text parser, any other type is refused with 415 before the signature check.
  app.removeAllContentTypeParsers();
  // The signature covers the raw bytes, so the body is kept as a Buffer and parsed here.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post<{ Params: { channelType: string }; Body: Buffer }>(
    '/inbound/:channelType',
    {
      bodyLimit: deps.bodyLimitBytes,
      onRequest: async (request, reply) => {
        if (!deps.channels.has(request.params.channelType)) {
          deps.metrics.inboundRequests.inc({ channel: 'unknown', outcome: 'unknown_channel' });
          return sendError(reply, 404, 'unknown_channel', `no channel "${request.params.channelType}" accepts messages here`);
        }
      },
    },
    async (request, reply) => {
      const channel = deps.channels.get(request.params.channelType)!;
      const reject = (status: number, code: string, message: string, field?: string) => {
        deps.metrics.inboundRequests.inc({ channel: channel.channelType, outcome: code });
        return sendError(reply, status, code, message, field);
      };

      if (!Buffer.isBuffer(request.body)) return reject(401, 'invalid_signature', 'the request has no body to check the signature of');
      const signature = verifySignedRequest({
        secret: channel.secret!,
        rawBody: request.body,
        headers: request.headers,
        nowSeconds: Math.floor(now() / 1000),
        toleranceSeconds,
        acceptLegacy: channel.legacyBodySignature === true,
      });
      if (!signature.ok) return reject(401, signature.code, signature.message);
      let body: unknown;
      try {
        body = JSON.parse(request.body.toString('utf8'));
      } catch {
        return reject(400, 'invalid_json', 'the body is not valid JSON');
      }
      if (isReadBody(body)) {
        const read = validateInboundRead(body);
        if (!read.ok) return reject(400, 'invalid_body', `${read.field} ${read.message}`, read.field);
        deps.acceptRead(channel.channelType, read.read.from.id, read.read.upTo);
        deps.metrics.inboundRequests.inc({ channel: channel.channelType, outcome: 'read' });
        return reply.code(202).send({ status: 'accepted', upTo: read.read.upTo });
      }
      const validation = validateInboundMessage(body, channel.maxMessageLength);
      if (!validation.ok) return reject(400, 'invalid_body', `${validation.field} ${validation.message}`, validation.field);
      const attachments = checkInboundAttachments(validation.message.media, channel);
      if (!attachments.ok) return reject(400, 'invalid_attachment', `${attachments.field} ${attachments.message}`, attachments.field);

      if (probes.inboundReceived.hasSubscribers) {
        probes.inboundReceived.publish({
          request: request.raw,
          channelType: channel.channelType,
          externalId: validation.message.id,
        });
      }
      const result = await deps.inbound.accept(channel, validation.message);
      return reply.code(result === 'accepted' ? 202 : 200).send({ status: result, id: validation.message.id });
    },
  );
}
