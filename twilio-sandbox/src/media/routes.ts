import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { Ctx } from '../context.js';
import { invalidParam, notFound, TwilioApiError } from '../errors.js';
import { DIRECT, MCS, mediaPath, serializeMedia } from './serializer.js';
import { MediaTooLargeError, type MediaItem } from './store.js';

type MediaRoute = { Params: { ServiceSid: string; Sid: string }; Querystring: Record<string, string | undefined> };

const SID = (prefix: string) => new RegExp(`^${prefix}[0-9a-f]{32}$`);
const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/** A body parser that hands the request stream on unread, so uploads are streamed to disk. */
export function passThroughBodies(r: FastifyInstance): void {
  r.removeAllContentTypeParsers();
  r.addContentTypeParser('*', (_req, _payload, done) => done(null));
}

/** The bare media type of a request, or Twilio's 400. */
export function uploadType(req: FastifyRequest): string {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!CONTENT_TYPE.test(type)) throw invalidParam('Content-Type', 'a media type such as image/png is required');
  return type;
}

/** Streams a request body into the store; too large is a 413 naming the limit. */
export async function storeUpload(ctx: Ctx, input: { serviceSid: string; contentType: string; filename: string | null; author: string; bytes: Readable }) {
  try {
    return await ctx.media.create(input);
  } catch (error) {
    if (error instanceof MediaTooLargeError) throw new TwilioApiError(413, 20001, error.message);
    throw error;
  }
}

function serviceOf(ctx: Ctx, req: FastifyRequest<MediaRoute>): string {
  const sid = req.params.ServiceSid;
  const known = SID('IS').test(sid) && ctx.store.convServices.has(sid);
  if (!known) throw notFound(req.url.slice(MCS.length + 1).split('?')[0]!);
  return sid;
}

function itemOf(ctx: Ctx, req: FastifyRequest<MediaRoute>): MediaItem {
  const serviceSid = serviceOf(ctx, req);
  const item = ctx.media.get(req.params.Sid);
  if (!item || item.serviceSid !== serviceSid) throw notFound(mediaPath({ serviceSid, sid: req.params.Sid }));
  return item;
}

function sendContent(ctx: Ctx, reply: FastifyReply, item: MediaItem): FastifyReply {
  reply.header('Content-Length', String(item.size)).type(item.contentType);
  return reply.send(ctx.media.open(item));
}

/**
 * The Media Content Service (`mcs.us1.twilio.com/v1`): create from a raw body, fetch, delete, and the
 * content, with credentials or through the temporary URL. Auth and faults come from the
 * server-wide hook, as for the other products.
 */
export function registerMediaRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.register(async (r) => {
    passThroughBodies(r);
    r.post<MediaRoute>(`/${MCS}/v1/Services/:ServiceSid/Media`, async (req, reply) => {
      const serviceSid = serviceOf(ctx, req);
      const contentType = uploadType(req);
      const filename = req.query.Filename?.slice(0, 255) || null;
      const item = await storeUpload(ctx, { serviceSid, contentType, filename, author: req.query.Author || 'system', bytes: req.raw });
      return reply.code(201).send(serializeMedia(ctx, item));
    });
    r.get<MediaRoute>(`/${MCS}/v1/Services/:ServiceSid/Media/:Sid`, async (req) => serializeMedia(ctx, itemOf(ctx, req)));
    r.delete<MediaRoute>(`/${MCS}/v1/Services/:ServiceSid/Media/:Sid`, async (req, reply) => {
      await ctx.media.remove(itemOf(ctx, req));
      return reply.code(204).send();
    });
    r.get<MediaRoute>(`/${MCS}/v1/Services/:ServiceSid/Media/:Sid/Content`, async (req, reply) => sendContent(ctx, reply, itemOf(ctx, req)));
    r.get<MediaRoute>(`/${DIRECT}/v1/Media/:Sid`, async (req, reply) => {
      const item = ctx.media.get(req.params.Sid);
      if (!item || !ctx.media.verifyQuery(item.sid, req.query.Expires, req.query.Signature)) {
        return reply.code(403).type('text/plain').send('Forbidden: the link is unknown or has expired');
      }
      return sendContent(ctx, reply, item);
    });
  });
}
