import { essenceOf } from '@custom-channels/contract';
import type { DeliveredAttachment } from '../../delivery/channel-events.js';
import { linkText } from '../messenger-files.js';
import type { InstagramElement, InstagramQuickReply } from './instagram-rich.js';
import { instagramTextParts } from './instagram-text.js';

/** A Send API `message`: a text (with quick replies), one attachment Instagram fetches from its URL, or a generic template. */
export type InstagramMessage =
  | { text: string; quick_replies?: InstagramQuickReply[] }
  | { attachment: { type: 'image' | 'video' | 'audio' | 'file'; payload: { url: string } } }
  | { attachment: { type: 'template'; payload: { template_type: 'generic'; elements: InstagramElement[] } } };

const MB = 1024 * 1024;
/** The types and sizes Instagram's Send API takes by URL, per attachment type. */
const SENDABLE: Array<{ type: 'image' | 'video' | 'audio' | 'file'; contentTypes: string[]; maxBytes: number }> = [
  { type: 'image', contentTypes: ['image/jpeg', 'image/png', 'image/gif'], maxBytes: 8 * MB },
  { type: 'video', contentTypes: ['video/mp4', 'video/ogg', 'video/webm', 'video/quicktime', 'video/x-msvideo'], maxBytes: 25 * MB },
  { type: 'audio', contentTypes: ['audio/aac', 'audio/mp4', 'audio/x-m4a', 'audio/wav', 'audio/x-wav'], maxBytes: 25 * MB },
  { type: 'file', contentTypes: ['application/pdf'], maxBytes: 25 * MB },
];

/**
 * An agent's message as Send API messages, one call each: the text first (in parts past
 * Instagram's 1,000 bytes), then each file Instagram takes by URL (it fetches the middleware's
 * signed link itself), else a text with the link.
 */
export function instagramMessagesOf(text: string, media: DeliveredAttachment[] = []): InstagramMessage[] {
  const messages: InstagramMessage[] = text.trim() ? instagramTextParts(text).map((part) => ({ text: part })) : [];
  for (const file of media) {
    const contentType = essenceOf(file.contentType);
    const sendable = SENDABLE.find((kind) => kind.contentTypes.includes(contentType) && (file.size === null || file.size <= kind.maxBytes));
    messages.push(sendable ? { attachment: { type: sendable.type, payload: { url: file.url } } } : { text: linkText(file) });
  }
  return messages;
}
