import type { PlatformFile } from '../messenger-files.js';
import { typeOfFileName } from '../messenger-files.js';

/** An attachment of `message.attachments[]` as far as stickers go. */
export interface InstagramStickerAttachment {
  type: string;
  payload?: { url?: string; sticker_id?: number | string };
}

/** A sticker as the agent reads it, with its values for a bot, and its image when Meta gives one. */
export interface InstagramSticker {
  label: string;
  attributes: { sticker: { type: 'sticker' | 'like_heart'; stickerId?: string } };
  file?: PlatformFile;
}

/**
 * Meta's stickers: a `sticker` attachment with its `sticker_id`, the older form (an `image`
 * with a `sticker_id`), and the heart (`like_heart`). Its image, when the payload has a URL, goes
 * the way of any Instagram file (Meta's media hosts only); else the sticker is its text.
 */
export function instagramSticker(attachment: InstagramStickerAttachment): InstagramSticker | undefined {
  const stickerId = idOf(attachment);
  const heart = attachment.type === 'like_heart';
  if (!heart && attachment.type !== 'sticker' && !(attachment.type === 'image' && stickerId)) return undefined;
  const label = heart ? 'sticker ❤️' : 'sticker';
  const url = urlOf(attachment);
  return {
    label,
    attributes: { sticker: { type: heart ? 'like_heart' : 'sticker', ...(stickerId ? { stickerId } : {}) } },
    ...(url ? { file: { platformFileId: url, contentType: imageTypeOf(url), label } } : {}),
  };
}

/**
 * The attachments without a sticker given twice: while Meta moves stickers from `image` to
 * `sticker` attachments, a message carries both forms of the same one (same id or same URL).
 */
export function withoutRepeatedStickers<T extends InstagramStickerAttachment>(attachments: T[]): T[] {
  const stickers = attachments.filter((attachment) => attachment.type === 'sticker');
  const keys = new Set(stickers.flatMap((attachment) => [idOf(attachment), urlOf(attachment)]).filter((key) => key !== undefined));
  if (keys.size === 0) return attachments;
  return attachments.filter(
    (attachment) => attachment.type !== 'image' || ![idOf(attachment), urlOf(attachment)].some((key) => key !== undefined && keys.has(key)),
  );
}

function urlOf(attachment: InstagramStickerAttachment): string | undefined {
  return typeof attachment.payload?.url === 'string' && attachment.payload.url ? attachment.payload.url : undefined;
}

function idOf(attachment: InstagramStickerAttachment): string | undefined {
  const id = attachment.payload?.sticker_id;
  return (typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && /^\d{1,20}$/.test(id)) ? String(id) : undefined;
}

/** Meta names no type: the URL's extension when it has one, else PNG; the download's Content-Type has the last word. */
function imageTypeOf(url: string): string {
  let path = '';
  try {
    path = new URL(url).pathname;
  } catch {
    // Refused by the file source; the type does not matter then.
  }
  const type = typeOfFileName(path);
  return type.startsWith('image/') ? type : 'image/png';
}
