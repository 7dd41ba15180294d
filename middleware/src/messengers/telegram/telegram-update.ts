import { Ajv } from 'ajv';
import type { MediaPolicy } from '@custom-channels/contract';
import type { InboundAttachment } from '../../inbound/inbound-message.js';
import { describeSchemaError } from '../../shared/schema-error.js';
import { fitText, ignored, placeholder, type Translation } from '../messenger-message.js';
import { fileOfTelegramMessage, TELEGRAM_DOWNLOAD_LIMIT_BYTES, type TelegramFiles } from './telegram-files.js';
import { takeFile } from '../messenger-files.js';
import { stickerAttributes, stickerImage, stickerLabel, type TelegramSticker } from './telegram-stickers.js';
import { contactReply, locationReply, selectionReply, type CustomerReply } from '../../rich/customer-replies.js';

interface TelegramUser {
  id: number;
  is_bot?: boolean;
  first_name?: string;
  last_name?: string;
  username?: string;
}

interface TelegramMessage extends TelegramFiles {
  message_id: number;
  date: number;
  chat: { id: number; type: string };
  from?: TelegramUser;
  text?: string;
  caption?: string;
  edit_date?: number;
  sticker?: TelegramSticker;
  location?: { latitude: number; longitude: number };
  venue?: { location: { latitude: number; longitude: number }; title?: string; address?: string };
  contact?: { phone_number?: string; first_name?: string; last_name?: string };
  reply_markup?: { inline_keyboard?: Array<Array<{ text?: string; callback_data?: string }>> };
  [content: string]: unknown;
}

/** A tap on an inline keyboard button: `data` is the button's callback_data, `message` the message it was under. */
interface TelegramCallbackQuery {
  id: string;
  from: TelegramUser;
  message?: TelegramMessage;
  data?: string;
}

/** The parts of a Telegram Update the channel reads; any other field is allowed and left alone. */
export interface TelegramUpdate {
  update_id: number;
  message?: TelegramMessage;
  edited_message?: TelegramMessage;
  callback_query?: TelegramCallbackQuery;
}

const message = {
  type: 'object',
  required: ['message_id', 'date', 'chat'],
  properties: {
    message_id: { type: 'integer' },
    date: { type: 'integer' },
    chat: { type: 'object', required: ['id', 'type'], properties: { id: { type: 'integer' }, type: { type: 'string' } } },
    from: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
    text: { type: 'string' },
    caption: { type: 'string' },
  },
} as const;

const validate = new Ajv({ strict: false }).compile<TelegramUpdate>({
  type: 'object',
  required: ['update_id'],
  properties: {
    update_id: { type: 'integer' },
    message,
    edited_message: message,
    callback_query: {
      type: 'object',
      required: ['id', 'from'],
      properties: {
        id: { type: 'string' },
        from: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
        message,
        data: { type: 'string' },
      },
    },
  },
});

export function parseTelegramUpdate(body: unknown): { ok: true; update: TelegramUpdate } | { ok: false; field: string; message: string } {
  if (!validate(body)) return { ok: false, ...describeSchemaError(validate.errors?.[0]) };
  return { ok: true, update: body };
}

/** The updates setWebhook asks for: everything else is never sent. */
export const TELEGRAM_ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query'];

/** Content without text, as the agent reads it. */
const CONTENT_PLACEHOLDERS: Array<[string, (message: TelegramMessage) => string]> = [
  ['photo', () => 'photo'],
  ['video', () => 'video'],
  ['animation', () => 'GIF'],
  ['video_note', () => 'video message'],
  ['voice', () => 'voice message'],
  ['audio', () => 'audio'],
  ['document', (m) => (m.document?.file_name ? `file: ${m.document.file_name}` : 'file')],
  ['poll', () => 'poll'],
];

/**
 * A private chat's message (or its edit) as a customer message: the user id is the customer
 * id, the user's names the display name. Groups, channels, bots and service messages are ignored.
 */
export function translateTelegramUpdate(update: TelegramUpdate, maxMessageLength: number, media?: MediaPolicy): Translation {
  if (update.callback_query) return translateCallbackQuery(update.callback_query, maxMessageLength);
  const edited = update.edited_message !== undefined;
  const source = update.message ?? update.edited_message;
  if (!source) return ignored('not a message');
  if (source.chat.type !== 'private') return ignored('not a private chat');
  if (!source.from || source.from.is_bot) return ignored('not from a person');
  // An edit repeats the files of the message it changes: only its new text is passed on.
  const content = contentOf(source, edited ? undefined : media);
  if (content === undefined) return ignored(source.text === undefined ? 'a service message' : 'an empty message');
  const { body, attachments, attributes } = content;

  const chatMessageId = `${source.chat.id}:${source.message_id}`;
  const name = displayName(source.from);
  return {
    kind: 'message',
    message: {
      id: edited ? `${chatMessageId}:edited:${source.edit_date ?? update.update_id}` : chatMessageId,
      from: { id: String(source.from.id), ...(name ? { name } : {}) },
      ...(body === undefined ? {} : { text: fitText(edited ? `${placeholder('edited a message')} ${body}` : body, maxMessageLength) }),
      ...(attachments ? { media: attachments } : {}),
      timestamp: new Date((source.edit_date ?? source.date) * 1000).toISOString(),
      attributes: { ...attributes, telegramMessageId: source.message_id },
    },
  };
}

/**
 * A tap on a button of a rich message: "Selected: <the button's title>", with the button's
 * callback_data as the selection's id. Deduplicated on the query id, which Telegram gives each tap.
 */
function translateCallbackQuery(query: TelegramCallbackQuery, maxMessageLength: number): Translation {
  if (query.data === undefined) return ignored('a callback query without data');
  if (query.message && query.message.chat.type !== 'private') return ignored('not a private chat');
  if (query.from.is_bot) return ignored('not from a person');
  const button = query.message?.reply_markup?.inline_keyboard?.flat().find((b) => b.callback_data === query.data);
  const reply = selectionReply({ id: query.data, title: button?.text ?? query.data });
  const name = displayName(query.from);
  return {
    kind: 'message',
    message: {
      id: `callback:${query.id}`,
      from: { id: String(query.from.id), ...(name ? { name } : {}) },
      text: fitText(reply.text, maxMessageLength),
      attributes: { ...reply.attributes, ...(query.message ? { telegramMessageId: query.message.message_id } : {}) },
    },
  };
}

/** What Telegram sends when the user presses Start (with a deep link's parameter after it). */
const START_COMMAND = /^\/start(@\w+)?(\s|$)/;

/** The text and the files the channel takes; a file it does not take stays a placeholder saying so. */
function contentOf(
  message: TelegramMessage,
  media: MediaPolicy | undefined,
): { body?: string; attachments?: InboundAttachment[]; attributes?: Record<string, unknown> } | undefined {
  if (message.text && START_COMMAND.test(message.text)) return { body: placeholder('started the chat') };
  if (message.text?.trim()) return { body: message.text };
  const shared = sharedPlaceOrContact(message);
  if (shared) return { body: shared.text, attributes: shared.attributes };
  if (message.sticker) return stickerContent(message.sticker, media);
  const caption = message.caption?.trim() || undefined;
  const file = fileOfTelegramMessage(message);
  if (file) {
    const taken = takeFile(file, media, TELEGRAM_DOWNLOAD_LIMIT_BYTES);
    if ('attachment' in taken) return { body: caption, attachments: [taken.attachment] };
    return { body: placeholder(`${file.label}, ${taken.refused}`, caption) };
  }
  const content = CONTENT_PLACEHOLDERS.find(([key]) => message[key] !== undefined);
  if (content) return { body: placeholder(content[1](message), caption) };
  return undefined;
}

/**
 * A sticker is its placeholder (`[sticker 😀]`), then its image as a file: should the image
 * fail to download, the agent still reads that a sticker came. Its emoji and set are in the attributes.
 */
function stickerContent(
  sticker: TelegramSticker,
  media: MediaPolicy | undefined,
): { body: string; attachments?: InboundAttachment[]; attributes: Record<string, unknown> } {
  const attributes = stickerAttributes(sticker);
  const image = stickerImage(sticker);
  if (!image) return { body: placeholder(stickerLabel(sticker)), attributes };
  const taken = takeFile(image, media, TELEGRAM_DOWNLOAD_LIMIT_BYTES);
  if ('attachment' in taken) return { body: placeholder(image.label), attachments: [taken.attachment], attributes };
  return { body: placeholder(`${image.label}, ${taken.refused}`), attributes };
}

/** A venue or a location (a venue carries one too), or a contact card, as the agent reads it. */
function sharedPlaceOrContact(message: TelegramMessage): CustomerReply | undefined {
  if (message.venue) return locationReply({ ...message.venue.location, label: message.venue.title, address: message.venue.address });
  if (message.location) return locationReply(message.location);
  if (message.contact) {
    const name = [message.contact.first_name, message.contact.last_name].filter(Boolean).join(' ') || undefined;
    return contactReply({ name, phone: message.contact.phone_number });
  }
  return undefined;
}

function displayName(user: TelegramUser): string | undefined {
  const full = [user.first_name, user.last_name].filter(Boolean).join(' ').trim();
  const name = full || (user.username ? `@${user.username}` : '');
  return name ? name.slice(0, 256) : undefined;
}
