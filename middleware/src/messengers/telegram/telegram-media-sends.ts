import { essenceOf } from '@custom-channels/contract';
import type { DeliveredAttachment } from '../../delivery/channel-events.js';
import { linkText } from '../messenger-files.js';

/** One Bot API call of a delivery. */
export interface TelegramSend {
  method: 'sendMessage' | 'sendPhoto' | 'sendDocument' | 'sendLocation' | 'sendVenue';
  params: Record<string, unknown>;
}

const PHOTO_TYPES = new Set(['image/jpeg', 'image/png']);
/** What Telegram downloads by URL: photos up to 5 MB; files up to 20 MB, and by URL only GIF, PDF and ZIP. */
const PHOTO_BY_URL_MAX_BYTES = 5 * 1024 * 1024;
const DOCUMENT_BY_URL_TYPES = new Set(['application/pdf', 'application/zip', 'image/gif']);
const DOCUMENT_BY_URL_MAX_BYTES = 20 * 1024 * 1024;

/**
 * An agent's message with attachments as Bot API calls: the text first, then each file.
 * Telegram fetches the middleware's signed link itself (so PUBLIC_BASE_URL must be public
 * https); what it will not fetch by URL goes as a text with the link.
 */
export function telegramSendsOf(chatId: string, text: string, media: DeliveredAttachment[]): TelegramSend[] {
  const sends: TelegramSend[] = text.trim() ? [{ method: 'sendMessage', params: { chat_id: chatId, text } }] : [];
  for (const file of media) sends.push(sendOf(chatId, file));
  return sends;
}

function sendOf(chatId: string, file: DeliveredAttachment): TelegramSend {
  const type = essenceOf(file.contentType);
  const fits = (limit: number) => file.size === null || file.size <= limit;
  if (PHOTO_TYPES.has(type) && fits(PHOTO_BY_URL_MAX_BYTES)) return { method: 'sendPhoto', params: { chat_id: chatId, photo: file.url } };
  if (DOCUMENT_BY_URL_TYPES.has(type) && fits(DOCUMENT_BY_URL_MAX_BYTES)) return { method: 'sendDocument', params: { chat_id: chatId, document: file.url } };
  return { method: 'sendMessage', params: { chat_id: chatId, text: linkText(file) } };
}
