import { Ajv } from 'ajv';
import type { MediaPolicy } from '@custom-channels/contract';
import type { InboundAttachment } from '../../inbound/inbound-message.js';
import { describeSchemaError } from '../../shared/schema-error.js';
import { type PlatformFile, takeFile, typeOfFileName } from '../messenger-files.js';
import { fitText, ignored, placeholder, type Translation } from '../messenger-message.js';
import { contactReply, locationReply, selectionReply } from '../../rich/customer-replies.js';
import type { ViberTracking } from './viber-rich.js';

/** The parts of a Viber callback the channel reads; any other field is allowed and left alone. */
export interface ViberCallback {
  event: string;
  timestamp: number;
  /** Kept as a string: it is a 64-bit integer (see `parseViberJson`). */
  message_token?: string;
  sender?: { id: string; name?: string };
  user_id?: string;
  /** The user of `subscribed` and `conversation_started`. */
  user?: { id: string };
  /** `conversation_started`: whether the user is subscribed already. */
  subscribed?: boolean;
  message?: ViberMessage;
}

interface ViberMessage {
  type: string;
  text?: string;
  media?: string;
  file_name?: string;
  size?: number;
  location?: { lat: number; lon: number };
  contact?: { name?: string; phone_number?: string };
  sticker_id?: number | string;
  /** What the bot's message the customer answers carried: the kit's options (`ViberTracking`), when it had buttons. */
  tracking_data?: string;
}

const id = { type: 'string', minLength: 1, maxLength: 256 } as const;

const validate = new Ajv({ strict: false }).compile<ViberCallback>({
  type: 'object',
  required: ['event', 'timestamp'],
  properties: {
    event: { type: 'string' },
    timestamp: { type: 'integer' },
    message_token: { type: 'string', pattern: '^-?\\d{1,20}$' },
    user_id: id,
    user: { type: 'object', required: ['id'], properties: { id } },
    subscribed: { type: 'boolean' },
    sender: { type: 'object', required: ['id'], properties: { id, name: { type: 'string' } } },
    message: {
      type: 'object',
      required: ['type'],
      properties: {
        type: { type: 'string' },
        text: { type: 'string' },
        media: { type: 'string' },
        file_name: { type: 'string' },
        size: { type: 'integer' },
        location: { type: 'object', required: ['lat', 'lon'], properties: { lat: { type: 'number' }, lon: { type: 'number' } } },
        contact: { type: 'object', properties: { name: { type: 'string' }, phone_number: { type: 'string' } } },
        tracking_data: { type: 'string' },
      },
    },
  },
  if: { properties: { event: { const: 'message' } } },
  then: { required: ['message_token', 'sender', 'message'] },
});

export function parseViberCallback(body: unknown): { ok: true; callback: ViberCallback } | { ok: false; field: string; message: string } {
  if (!validate(body)) return { ok: false, ...describeSchemaError(validate.errors?.[0]) };
  return { ok: true, callback: body };
}

/** The callbacks set_webhook asks for; `webhook` (the check of the URL) comes regardless. */
export const VIBER_EVENT_TYPES = ['delivered', 'seen', 'failed', 'subscribed', 'unsubscribed', 'conversation_started'];

/** What Viber lets a bot's users send as a file. */
export const VIBER_CUSTOMER_FILE_LIMIT_BYTES = 200 * 1024 * 1024;

/**
 * A user's message as a customer message: deduplicated on its message_token (the same on
 * every redelivery), the user id as the customer id, the name the user shows in Viber.
 */
export function translateViberMessage(callback: ViberCallback, maxMessageLength: number, media?: MediaPolicy): Translation {
  const { message, sender, message_token: token } = callback;
  const { text, attachments, attributes } = contentOf(message!, media);
  if (!text && !attachments) return ignored('an empty message');
  const name = sender!.name?.trim();
  return {
    kind: 'message',
    message: {
      id: token!,
      from: { id: sender!.id, ...(name ? { name: name.slice(0, 256) } : {}) },
      ...(text ? { text: fitText(text, maxMessageLength) } : {}),
      ...(attachments ? { media: attachments } : {}),
      timestamp: new Date(callback.timestamp).toISOString(),
      attributes: { ...attributes, viberMessageToken: token },
    },
  };
}

/** The file of a picture, video or file message: Viber gives its URL, which is the reference the download uses. */
function fileOf(message: ViberMessage): PlatformFile | undefined {
  if (typeof message.media !== 'string' || !/^https?:\/\//.test(message.media)) return undefined;
  const size = typeof message.size === 'number' ? { size: message.size } : {};
  const name = message.file_name || undefined;
  if (message.type === 'picture') return { platformFileId: message.media, contentType: 'image/jpeg', label: 'photo', ...size };
  if (message.type === 'video') return { platformFileId: message.media, contentType: 'video/mp4', label: 'video', ...size };
  if (message.type === 'file') {
    return {
      platformFileId: message.media,
      contentType: typeOfFileName(name),
      label: name ? `file: ${name}` : 'file',
      ...(name ? { filename: name } : {}),
      ...size,
    };
  }
  return undefined;
}

/** A picture's or video's own text is its caption, sent before the file; a tap on a button and a place carry their values. */
function contentOf(
  message: ViberMessage,
  media: MediaPolicy | undefined,
): { text?: string; attachments?: InboundAttachment[]; attributes?: Record<string, unknown> } {
  const tapped = message.type === 'text' ? tappedOption(message) : undefined;
  if (tapped) return selectionReply(tapped);
  if (message.type === 'location' && message.location) return locationReply({ latitude: message.location.lat, longitude: message.location.lon });
  if (message.type === 'contact' && (message.contact?.name || message.contact?.phone_number))
    return contactReply({ name: message.contact.name || undefined, phone: message.contact.phone_number || undefined });
  if (message.type === 'sticker') return stickerOf(message);
  const caption = message.type !== 'file' && message.text?.trim() ? message.text : undefined;
  const file = fileOf(message);
  if (file) {
    const taken = takeFile(file, media, VIBER_CUSTOMER_FILE_LIMIT_BYTES);
    if ('attachment' in taken) return { text: caption, attachments: [taken.attachment] };
    return { text: placeholder(`${file.label}, ${taken.refused}`, caption) };
  }
  return { text: textOf(message, caption) };
}

/**
 * Viber documents only a `sticker_id` for a user's sticker, no image of it: the agent reads
 * `[sticker]`, and a bot finds the id in the attributes.
 */
function stickerOf(message: ViberMessage): { text: string; attributes?: Record<string, unknown> } {
  const id = message.sticker_id;
  const valid = (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) || (typeof id === 'string' && /^\d{1,20}$/.test(id));
  return { text: placeholder('sticker'), ...(valid ? { attributes: { sticker: { stickerId: String(id) } } } : {}) };
}

function textOf(message: ViberMessage, caption: string | undefined): string | undefined {
  switch (message.type) {
    case 'text':
      return message.text?.trim() ? message.text : undefined;
    case 'picture':
      return placeholder('photo', caption);
    case 'video':
      return placeholder('video', caption);
    case 'file':
      return placeholder(message.file_name ? `file: ${message.file_name}` : 'file');
    case 'location':
      return placeholder('location');
    case 'contact':
      return placeholder(`contact: ${[message.contact?.name, message.contact?.phone_number].filter(Boolean).join(', ') || 'no details'}`);
    case 'url':
      return message.media ? `[link] ${message.media}` : placeholder('link');
    default:
      return placeholder(`${message.type} message`);
  }
}

/** The option a text answers, when it is the title of one the bot's message offered (a reply button sends its title). */
function tappedOption(message: ViberMessage): { id: string; title: string } | undefined {
  if (!message.tracking_data || !message.text) return undefined;
  try {
    const { options } = JSON.parse(message.tracking_data) as Partial<ViberTracking>;
    if (!Array.isArray(options)) return undefined;
    return options.find((option) => typeof option?.id === 'string' && option.title === message.text);
  } catch {
    // tracking_data of another sender than the kit: the text is the customer's own.
    return undefined;
  }
}
