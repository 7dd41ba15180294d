import { iso, type Ctx } from '../context.js';
import type { MediaItem } from './store.js';

export const MCS = 'mcs';
export const DIRECT = 'mcs-direct';

export const mediaPath = (item: Pick<MediaItem, 'serviceSid' | 'sid'>) => `/v1/Services/${item.serviceSid}/Media/${item.sid}`;

/** The Media resource as the MCS documentation lists its fields; URLs point at the stand-in. */
export function serializeMedia(ctx: Ctx, item: MediaItem) {
  const url = `${ctx.baseUrl}/${MCS}${mediaPath(item)}`;
  return {
    sid: item.sid,
    account_sid: ctx.accountSid,
    service_sid: item.serviceSid,
    channel_sid: item.channelSid,
    message_sid: item.messageSid,
    date_created: iso(item.dateCreated),
    date_updated: iso(item.dateUpdated),
    date_upload_updated: iso(item.dateCreated),
    size: item.size,
    content_type: item.contentType,
    filename: item.filename,
    author: item.author,
    category: 'media',
    url,
    links: {
      content: `${url}/Content`,
      content_direct_temporary: `${ctx.baseUrl}/${DIRECT}/v1/Media/${item.sid}?${ctx.media.signedQuery(item.sid)}`,
    },
  };
}
