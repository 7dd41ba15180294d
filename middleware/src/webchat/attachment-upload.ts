import { Transform } from 'node:stream';
import { acceptsType, essenceOf } from '@custom-channels/contract';
import type { FastifyInstance } from 'fastify';
import type { ChannelRuntime } from '../config/channels.js';
import { sendError } from '../http/errors.js';
import type { McsClient } from '../media/mcs-client.js';
import { MediaStepError } from '../media/media-errors.js';
import type { Logger } from '../observability/logger.js';
import type { LogHasher } from '../observability/log-hash.js';
import type { UploadTickets } from './upload-tickets.js';
import type { Webchat } from './webchat.js';

export const WEBCHAT_UPLOAD_PATH = '/webchat/uploads';

export interface AttachmentUploadDeps {
  webchat: Webchat;
  channels: ReadonlyMap<string, ChannelRuntime>;
  mcs: McsClient;
  tickets: UploadTickets;
  /** The service new sessions' files go to (FlexGateway.uploadServiceSid). */
  serviceSid: () => Promise<string>;
  logger: Logger;
  /** Stands in for customer and visitor ids in log lines. */
  hashForLog: LogHasher;
}

type UploadRequest = { Querystring: { channel?: string; filename?: string } };

/**
 * POST /webchat/uploads?channel=webchat&filename=photo.jpg, the file as the raw body with its
 * Content-Type and Content-Length, `Authorization: Bearer <visitor token>`. Checked against
 * the channel's `media` before a byte is read, and the length while streaming; the bytes go
 * straight on to the Media Content Service (never whole in memory), so the file is kept
 * before the visitor's message names it. Answers the file and a ticket the message quotes.
 */
export async function attachmentUploadRoutes(app: FastifyInstance, deps: AttachmentUploadDeps): Promise<void> {
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  app.post<UploadRequest>(WEBCHAT_UPLOAD_PATH, async (request, reply) => {
    const channel = deps.channels.get(request.query.channel ?? '');
    if (!channel || channel.adapter !== 'webchat')
      return sendError(reply, 404, 'unknown_channel', 'no web chat channel of that name is served here', '/channel');
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    const visitorId = token ? deps.webchat.tokens.verify(channel.channelType, token) : undefined;
    if (!visitorId) return sendError(reply, 401, 'invalid_token', 'send the token of the welcome frame as a Bearer token');
    const media = channel.media;
    if (!media) return sendError(reply, 400, 'attachments_not_allowed', `${channel.displayName} takes text only`);
    const contentType = essenceOf(request.headers['content-type'] ?? '');
    if (!acceptsType(media, contentType)) {
      return sendError(
        reply,
        415,
        'type_not_accepted',
        `${contentType || 'a file without a type'} is not a type this chat takes (${media.accept.join(', ')})`,
        '/content-type',
      );
    }
    const size = Number(request.headers['content-length']);
    if (!Number.isSafeInteger(size) || size <= 0) return sendError(reply, 411, 'length_required', 'send the file with its Content-Length');
    if (size > media.maxBytes)
      return sendError(reply, 413, 'file_too_large', `the file has ${size} bytes; this chat takes at most ${media.maxBytes}`, '/content-length');
    const filename = request.query.filename?.slice(0, 255) || undefined;
    let counted = 0;
    const body = request.raw.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          counted += chunk.length;
          done(counted > size ? new Error('more bytes than announced') : null, chunk);
        },
      }),
    );
    try {
      const serviceSid = await deps.serviceSid();
      const stored = await deps.mcs.uploadStream(serviceSid, { body, size, contentType, filename });
      const file = { mediaSid: stored.sid, serviceSid, contentType, size, ...(filename ? { filename } : {}) };
      deps.logger.debug({ channel: channel.channelType, visitor: deps.hashForLog(visitorId), mediaSid: stored.sid, size }, 'web chat file uploaded');
      return reply.code(201).send({ ...file, ticket: deps.tickets.issue(visitorId, file) });
    } catch (error) {
      const retryable = !(error instanceof MediaStepError) || error.retryable;
      deps.logger.warn(
        { channel: channel.channelType, reason: error instanceof MediaStepError ? error.reason : 'upload failed' },
        'web chat file not uploaded',
      );
      return sendError(reply, retryable ? 503 : 502, 'upload_failed', 'the file could not be stored; send it again');
    }
  });
}
