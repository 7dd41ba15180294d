import { Ajv } from 'ajv';
import type { MediaPolicy } from '@custom-channels/contract';
import type { InboundAttachment } from '../../inbound/inbound-message.js';
import { describeSchemaError } from '../../shared/schema-error.js';
import { takeFile } from '../messenger-files.js';
import { fitText, ignored, placeholder, type Translation } from '../messenger-message.js';
import { fileOfLineMessage } from './line-files.js';
import { locationReply, payloadSelection, type CustomerReply } from '../../rich/customer-replies.js';

/** The parts of a LINE webhook event the channel reads (the SDK's `webhook.Event` covers the rest). */
export interface LineEvent {
  type: string;
  mode?: string;
  timestamp: number;
  webhookEventId: string;
  deliveryContext: { isRedelivery: boolean };
  source?: { type: string; userId?: string };
  message?: {
    type: string;
    id: string;
    text?: string;
    fileName?: string;
    fileSize?: number;
    contentProvider?: { type?: string };
    title?: string;
    address?: string;
    latitude?: number;
    longitude?: number;
    keywords?: string[];
    packageId?: string;
    stickerId?: string;
  };
  /** A postback action's event: the data the tapped button carried. */
  postback?: { data: string };
}

export interface LineCallback {
  destination: string;
  events: unknown[];
}

const validateCallback = new Ajv({ strict: false }).compile<LineCallback>({
  type: 'object',
  required: ['destination', 'events'],
  properties: { destination: { type: 'string' }, events: { type: 'array', maxItems: 100 } },
});

const validateEvent = new Ajv({ strict: false }).compile<LineEvent>({
  type: 'object',
  required: ['type', 'timestamp', 'webhookEventId', 'deliveryContext'],
  properties: {
    type: { type: 'string' },
    timestamp: { type: 'integer' },
    webhookEventId: { type: 'string', minLength: 1, maxLength: 256 },
    deliveryContext: { type: 'object', required: ['isRedelivery'], properties: { isRedelivery: { type: 'boolean' } } },
    source: { type: 'object', required: ['type'], properties: { type: { type: 'string' }, userId: { type: 'string', minLength: 1, maxLength: 256 } } },
    message: { type: 'object', required: ['type', 'id'], properties: { type: { type: 'string' }, id: { type: 'string' }, text: { type: 'string' } } },
    postback: { type: 'object', required: ['data'], properties: { data: { type: 'string', maxLength: 300 } } },
  },
});

export function parseLineCallback(body: unknown): { ok: true; callback: LineCallback } | { ok: false; field: string; message: string } {
  if (!validateCallback(body)) return { ok: false, ...describeSchemaError(validateCallback.errors?.[0]) };
  return { ok: true, callback: body };
}

/** A message or postback event from one user, ready to translate once the user's display name is known. */
export interface LineUserMessage {
  event: LineEvent & ({ message: NonNullable<LineEvent['message']> } | { postback: NonNullable<LineEvent['postback']> });
  userId: string;
}

/** Which events become customer messages: messages from one user in a one-to-one chat, in active mode. */
export function selectLineEvent(raw: unknown): LineUserMessage | { ignored: string } {
  if (!validateEvent(raw)) return { ignored: 'not a webhook event this channel reads' };
  const event = raw;
  // follow, unfollow, unsend, join, leave...: nothing for an agent to answer. A postback is a tap on a rich message's button.
  const readable = (event.type === 'message' && event.message) || (event.type === 'postback' && event.postback);
  if (!readable) return { ignored: `a ${event.type} event` };
  // In standby mode another module owns the chat.
  if (event.mode === 'standby') return { ignored: 'the channel is in standby mode' };
  if (event.source?.type !== 'user' || !event.source.userId) return { ignored: 'not a one-to-one chat' };
  return { event: event as LineUserMessage['event'], userId: event.source.userId };
}

/**
 * A selected message as a customer message: deduplicated on webhookEventId (the same on
 * every redelivery), the LINE user id as the customer id.
 */
export function translateLineMessage({ event, userId }: LineUserMessage, name: string | undefined, maxMessageLength: number, media?: MediaPolicy): Translation {
  const { text, attachments, attributes }: MessageParts = event.message ? contentOf(event.message, media) : postbackReply(event.postback!.data);
  if (!text && !attachments) return ignored('an empty message');
  return {
    kind: 'message',
    message: {
      id: event.webhookEventId,
      from: { id: userId, ...(name ? { name: name.slice(0, 256) } : {}) },
      ...(text ? { text: fitText(text, maxMessageLength) } : {}),
      ...(attachments ? { media: attachments } : {}),
      timestamp: new Date(event.timestamp).toISOString(),
      attributes: { ...attributes, ...(event.message ? { lineMessageId: event.message.id } : {}) },
    },
  };
}

type LineMessage = NonNullable<LineEvent['message']>;
type MessageParts = { text?: string; attachments?: InboundAttachment[]; attributes?: Record<string, unknown> };

/** A tap on a button of a rich message: its data is `{"id","title"}` as line-rich.ts writes it, or any other postback's data as it is. */
function postbackReply(data: string): CustomerReply {
  return payloadSelection(data, 'postback');
}

/** The file as an attachment when the channel takes it; a place or a sticker with its values; else the placeholder, saying so. */
function contentOf(message: LineMessage, media: MediaPolicy | undefined): MessageParts {
  if (message.type === 'location' && typeof message.latitude === 'number' && typeof message.longitude === 'number') {
    return locationReply({ latitude: message.latitude, longitude: message.longitude, label: message.title, address: message.address });
  }
  if (message.type === 'sticker' && message.stickerId) {
    return { text: textOf(message), attributes: { sticker: { packageId: message.packageId, stickerId: message.stickerId } } };
  }
  const file = fileOfLineMessage(message);
  if (!file) return { text: textOf(message) };
  const taken = takeFile(file, media);
  if ('attachment' in taken) return { attachments: [taken.attachment] };
  return { text: placeholder(`${file.label}, ${taken.refused}`) };
}

function textOf(message: LineMessage): string | undefined {
  switch (message.type) {
    case 'text':
      return message.text?.trim() ? message.text : undefined;
    case 'image':
      return placeholder('photo');
    case 'video':
      return placeholder('video');
    case 'audio':
      return placeholder('voice message');
    case 'file':
      return placeholder(message.fileName ? `file: ${message.fileName}` : 'file');
    case 'sticker':
      return placeholder(message.keywords?.length ? `sticker: ${message.keywords.slice(0, 3).join(', ')}` : 'sticker');
    case 'location':
      return placeholder(`location: ${[message.title, message.address, `${message.latitude}, ${message.longitude}`].filter(Boolean).join(' · ')}`);
    default:
      return placeholder(`${message.type} message`);
  }
}
