import type { FastifyInstance } from 'fastify';
import type { McsClient } from '../flex/mcs-client.js';
import { FailureError } from '../outbox/failure.js';
import { MEDIA_ROUTE, type MediaLinks } from '../media/media-links.js';
import type { Logger } from '../observability/logger.js';
import { sendError } from './errors.js';

export interface MediaRoutesDeps {
  links: MediaLinks;
  mcs: McsClient;
  logger: Logger;
}

type MediaRequest = { Params: { serviceSid: string; mediaSid: string }; Querystring: { expires?: string; signature?: string } };

const INLINE_TYPES = /^image\/(png|jpeg|gif|webp)\b/i;
const SID = { service: /^IS[0-9a-fA-F]{32}$/, media: /^ME[0-9a-fA-F]{32}$/ };

/**
 * GET /media/:serviceSid/:mediaSid?expires=&signature=: an agent's attachment, streamed from
 * the Media Content Service to whoever holds the signed link, until it expires. Served as a
 * download that a browser will not run as a page of this origin.
 */
export async function mediaRoutes(app: FastifyInstance, deps: MediaRoutesDeps): Promise<void> {
  app.get<MediaRequest>(`${MEDIA_ROUTE}/:serviceSid/:mediaSid`, async (request, reply) => {
    const { serviceSid, mediaSid } = request.params;
    const { expires, signature } = request.query;
    if (!SID.service.test(serviceSid) || !SID.media.test(mediaSid) || !deps.links.verify(serviceSid, mediaSid, expires, signature)) {
      return sendError(reply, 403, 'invalid_media_link', 'the link is not valid or has expired');
    }
    let content;
    try {
      content = await deps.mcs.openContent(serviceSid, mediaSid);
    } catch (error) {
      const reason = error instanceof FailureError ? error.failure.reason : 'unexpected error';
      deps.logger.warn({ mediaSid, reason }, 'attachment not served');
      return sendError(reply, 502, 'media_unavailable', 'the attachment could not be fetched from Twilio; try again');
    }
    const length = content.headers['content-length'];
    const type = content.headers['content-type'] ?? 'application/octet-stream';
    reply
      .header('content-type', type)
      // Pictures open in the browser (the widget's thumbnails open full size); anything else downloads.
      .header('content-disposition', INLINE_TYPES.test(type) ? 'inline' : 'attachment')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "sandbox; default-src 'none'")
      .header('cache-control', 'private, max-age=300');
    if (length) reply.header('content-length', length);
    return reply.send(content);
  });
}
