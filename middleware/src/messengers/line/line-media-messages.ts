import { essenceOf } from '@custom-channels/contract';
import type { messagingApi } from '@line/bot-sdk';
import type { DeliveredAttachment } from '../../delivery/channel-events.js';
import { linkText } from '../messenger-files.js';

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png']);
/** LINE's limits for an image message: the image 10 MB, its preview 1 MB (the same file serves as both), https URLs of up to 2,000 characters. */
const IMAGE_MAX_BYTES = 10 * 1024 * 1024;
const PREVIEW_MAX_BYTES = 1024 * 1024;
const URL_MAX_LENGTH = 2000;
/** A push carries at most five messages. */
const PUSH_MAX_MESSAGES = 5;

/**
 * An agent's message with attachments as one push: the text first, then an image message for
 * each JPEG or PNG LINE takes (it fetches the middleware's signed link itself), and a text with
 * the link for any other file, since a push has no generic file message.
 */
export function lineMessagesOf(text: string, media: DeliveredAttachment[]): messagingApi.Message[] {
  const messages: messagingApi.Message[] = text.trim() ? [{ type: 'text', text }] : [];
  for (const file of media) messages.push(messageOf(file));
  return messages.slice(0, PUSH_MAX_MESSAGES);
}

function messageOf(file: DeliveredAttachment): messagingApi.Message {
  const image =
    IMAGE_TYPES.has(essenceOf(file.contentType)) &&
    file.url.startsWith('https://') &&
    file.url.length <= URL_MAX_LENGTH &&
    file.size !== null &&
    file.size <= Math.min(IMAGE_MAX_BYTES, PREVIEW_MAX_BYTES);
  if (image) return { type: 'image', originalContentUrl: file.url, previewImageUrl: file.url };
  return { type: 'text', text: linkText(file) };
}
