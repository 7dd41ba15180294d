import { randomUUID } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { acceptsType, essenceOf } from '@custom-channels/contract';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ChannelRuntime } from '../config/channels.js';
import { sendError } from '../http/errors.js';
import type { McsClient, McsMedia } from '../flex/mcs-client.js';
import { FailureError } from '../outbox/failure.js';
import type { Logger } from '../observability/logger.js';
import type { LogHasher } from '../observability/log-hash.js';
import type { UploadQuotaLimit, UploadRecords } from '../store/uploads.js';
import { checkSignature, SIGNATURE_BYTES } from './content-signature.js';
import { uploadCors } from './upload-cors.js';
import type { UploadLimits } from './upload-limits.js';
import type { UploadTickets } from './upload-tickets.js';
import type { Webchat } from './webchat.js';

export const WEBCHAT_UPLOAD_PATH = '/webchat/uploads';
/** When the pending uploads of everyone are at their limit: about when the cleanup may have made room. */
const PENDING_RETRY_AFTER_SECONDS = 60;

export interface AttachmentUploadDeps {
  webchat: Pick<Webchat, 'tokens'>;
  channels: ReadonlyMap<string, ChannelRuntime>;
  mcs: McsClient;
  tickets: UploadTickets;
  /** Where each upload is recorded, and the quotas checked (the store, shared by every instance). */
  records: UploadRecords;
  limits: UploadLimits;
  /** Sites that embed the widget and may upload from the browser (besides the middleware's own origin). */
  allowedOrigins: readonly string[];
  /** The middleware's public URL: its pages may always upload. */
  publicBaseUrl?: string;
  /** The service new sessions' files go to (FlexGateway.uploadServiceSid). */
  serviceSid: () => Promise<string>;
  logger: Logger;
  /** Stands in for customer and visitor ids in log lines. */
  hashForLog: LogHasher;
}

type UploadRequest = { Querystring: { channel?: string | string[]; filename?: string | string[] } };

const QUOTA_MESSAGES: Record<UploadQuotaLimit, (limits: UploadLimits) => string> = {
  'visitor-uploads': (limits) => `at most ${limits.visitorUploads} files per ${minutes(limits.windowMs)}; wait before sending another`,
  'visitor-bytes': (limits) => `at most ${limits.visitorBytes} bytes of files per ${minutes(limits.windowMs)}; wait before sending another`,
  'pending-uploads': () => 'the chat is taking too many files at the moment; try again in a minute',
  'pending-bytes': () => 'the chat is taking too many files at the moment; try again in a minute',
};

/**
 * POST /webchat/uploads?channel=webchat&filename=photo.jpg, the file as the raw body with its
 * Content-Type and Content-Length, `Authorization: Bearer <visitor token>`. Checked against
 * the channel's `media` and the upload quotas before a byte is read, its first bytes against
 * its type, and the length while streaming; the bytes go straight on to the Media Content
 * Service (never whole in memory), so the file is kept before the visitor's message names it.
 * Each upload is recorded, so one no message names in time is deleted (upload-cleanup.ts).
 * Answers the file and a ticket the message quotes.
 */
export async function attachmentUploadRoutes(app: FastifyInstance, deps: AttachmentUploadDeps): Promise<void> {
  const { records, limits } = deps;
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  uploadCors(app, WEBCHAT_UPLOAD_PATH, deps.allowedOrigins, deps.publicBaseUrl);
  app.post<UploadRequest>(WEBCHAT_UPLOAD_PATH, async (request, reply) => {
    const { channel: channelType, filename: givenName } = request.query;
    for (const [name, value] of Object.entries({ channel: channelType, filename: givenName })) {
      if (Array.isArray(value)) return sendError(reply, 400, 'duplicate_parameter', `${name} is given more than once; give it once`, `/${name}`);
    }
    const channel = deps.channels.get((channelType as string | undefined) ?? '');
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
    if (checkSignature(contentType, Buffer.alloc(0)) === 'not-checkable') {
      return sendError(reply, 415, 'type_not_checkable', `${contentType} files cannot be checked here; send a JPEG, PNG, GIF or WebP picture`, '/content-type');
    }
    const size = Number(request.headers['content-length']);
    if (!Number.isSafeInteger(size) || size <= 0) return sendError(reply, 411, 'length_required', 'send the file with its Content-Length');
    if (size > media.maxBytes)
      return sendError(reply, 413, 'file_too_large', `the file has ${size} bytes; this chat takes at most ${media.maxBytes}`, '/content-length');
    const filename = (givenName as string | undefined)?.slice(0, 255) || undefined;

    const id = randomUUID();
    const admission = await records.admitUpload({ id, channelType: channel.channelType, customerId: visitorId, size }, limits);
    if (!admission.admitted) {
      const retryAfterMs = admission.retryAfterMs ?? PENDING_RETRY_AFTER_SECONDS * 1000;
      deps.logger.info({ channel: channel.channelType, visitor: deps.hashForLog(visitorId), limit: admission.limit }, 'web chat upload over quota');
      return sendError(
        reply.header('retry-after', String(Math.ceil(retryAfterMs / 1000))),
        429,
        'upload_quota_exceeded',
        QUOTA_MESSAGES[admission.limit](limits),
      );
    }
    const forget = () => records.deleteUploads([id]).catch((error: unknown) => deps.logger.warn({ err: error }, 'web chat upload record not removed'));

    const head = await peek(request.raw, Math.min(SIGNATURE_BYTES, size));
    if (checkSignature(contentType, head) === 'differs') {
      await forget();
      return refuseAndClose(reply, 415, 'content_not_of_type', `the file's content is not ${contentType}`);
    }
    let counted = 0;
    const body = request.raw.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          counted += chunk.length;
          done(counted > size ? new Error('more bytes than announced') : null, chunk);
        },
      }),
    );
    let serviceSid: string;
    let stored: McsMedia;
    try {
      serviceSid = await deps.serviceSid();
      stored = await deps.mcs.uploadStream(serviceSid, { body, size, contentType, filename });
    } catch (error) {
      await forget();
      const retryable = !(error instanceof FailureError) || error.failure.kind !== 'permanent';
      deps.logger.warn(
        { channel: channel.channelType, reason: error instanceof FailureError ? error.failure.reason : 'upload failed' },
        'web chat file not uploaded',
      );
      return sendError(reply, retryable ? 503 : 502, 'upload_failed', 'the file could not be stored; send it again');
    }
    try {
      await records.recordUploadMedia(id, serviceSid, stored.sid);
    } catch (error) {
      // Unrecorded, nothing would ever delete it: take it back now.
      deps.logger.warn({ err: error }, 'web chat upload not recorded');
      await deps.mcs.remove(serviceSid, stored.sid).catch(() => undefined);
      await forget();
      return sendError(reply, 503, 'upload_failed', 'the file could not be stored; send it again');
    }
    const file = { mediaSid: stored.sid, serviceSid, contentType, size, ...(filename ? { filename } : {}) };
    deps.logger.debug({ channel: channel.channelType, visitor: deps.hashForLog(visitorId), mediaSid: stored.sid, size }, 'web chat file uploaded');
    return reply.code(201).send({ ...file, ticket: deps.tickets.issue(visitorId, file) });
  });
}

/** Refuses while the body is still arriving: the connection is closed after the answer rather than reading the rest. */
function refuseAndClose(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return sendError(reply.header('connection', 'close'), status, code, message);
}

/** Reads the first `count` bytes of a body and puts them back, so it can still be streamed whole. */
async function peek(stream: Readable, count: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < count && !stream.readableEnded && !stream.destroyed) {
    const chunk = stream.read() as Buffer | null;
    if (chunk) {
      chunks.push(chunk);
      length += chunk.length;
      continue;
    }
    await new Promise<void>((resolve) => {
      const done = () => {
        for (const event of ['readable', 'end', 'close', 'error']) stream.off(event, done);
        resolve();
      };
      for (const event of ['readable', 'end', 'close', 'error']) stream.once(event, done);
    });
  }
  const head = Buffer.concat(chunks);
  if (head.length > 0) stream.unshift(head);
  return head.subarray(0, count);
}

function minutes(ms: number): string {
  const count = Math.round(ms / 60_000);
  return count === 1 ? 'minute' : `${count} minutes`;
}
