import type { Ctx } from '../context.js';
import { invalidParam } from '../errors.js';
import type { MessageMedia } from '../state.js';

/**
 * The file a new message names with `MediaSid`: it must exist in the message's service and
 * not belong to another message yet. Marked as the message's once the message exists.
 */
export function claimMedia(ctx: Ctx, serviceSid: string, mediaSid: string | undefined): MessageMedia | undefined {
  if (mediaSid === undefined) return undefined;
  const item = ctx.media.get(mediaSid);
  if (!item || item.serviceSid !== serviceSid) throw invalidParam('MediaSid', `${mediaSid} is not a media file of service ${serviceSid}`);
  if (item.messageSid) throw invalidParam('MediaSid', `${mediaSid} is already attached to message ${item.messageSid}`);
  return { sid: item.sid, size: item.size, contentType: item.contentType, filename: item.filename };
}

export function markAttached(ctx: Ctx, media: MessageMedia | undefined | null, channelSid: string, messageSid: string): void {
  const item = media ? ctx.media.get(media.sid) : undefined;
  if (item) ctx.media.attach(item, channelSid, messageSid);
}

/** A message's `media` entry in the REST resources (an array of these). */
export function serializeMessageMedia(media: MessageMedia) {
  return { sid: media.sid, size: media.size, content_type: media.contentType, filename: media.filename, category: 'media' };
}

/**
 * The `Media` parameter of Conversations message webhooks: a JSON string. Twilio's docs do not
 * list its fields; these are the names open-source bridges read (an assumption).
 */
export function conversationMediaParam(media: MessageMedia): Record<string, string> {
  return { Media: JSON.stringify([{ Sid: media.sid, Filename: media.filename, ContentType: media.contentType, Size: media.size, Category: 'media' }]) };
}
