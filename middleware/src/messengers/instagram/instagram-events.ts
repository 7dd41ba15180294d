import { Ajv } from 'ajv';
import type { MediaPolicy } from '@custom-channels/contract';
import type { InboundAttachment } from '../../inbound/inbound-message.js';
import { describeSchemaError } from '../../shared/schema-error.js';
import { takeFile } from '../messenger-files.js';
import { fitText, ignored, placeholder, type Translation } from '../messenger-message.js';
import { fileOfInstagramAttachment } from './instagram-files.js';
import { payloadSelection } from '../../rich/customer-replies.js';
import { instagramSticker, withoutRepeatedStickers } from './instagram-stickers.js';

interface InstagramAttachment {
  type: string;
  payload?: { url?: string; title?: string; sticker_id?: number | string };
}

/** One event of `entry[].messaging[]`, the parts the channel reads. */
export interface InstagramEvent {
  sender: { id: string };
  recipient: { id: string };
  timestamp: number;
  message?: {
    mid: string;
    text?: string;
    attachments?: InstagramAttachment[];
    is_echo?: boolean;
    is_deleted?: boolean;
    /** Content Meta does not pass on to apps (some GIFs and stickers): only this flag says it came. */
    is_unsupported?: boolean;
    reply_to?: { mid?: string; story?: { url?: string; id?: string } };
    /** A tapped quick reply: `text` is its title. */
    quick_reply?: { payload?: string };
  };
  reaction?: { mid: string; action: string; emoji?: string; reaction?: string };
  postback?: { mid: string; title?: string; payload?: string };
  read?: { mid: string };
}

export interface InstagramCallback {
  object: 'instagram';
  entry: Array<{ id: string; time: number; messaging?: unknown[] }>;
}

const id = { type: 'string', minLength: 1, maxLength: 256 } as const;

const validateCallback = new Ajv({ strict: false }).compile<InstagramCallback>({
  type: 'object',
  required: ['object', 'entry'],
  properties: {
    object: { const: 'instagram' },
    // Meta batches up to 1,000 changes in one delivery.
    entry: {
      type: 'array',
      maxItems: 1000,
      items: { type: 'object', required: ['id'], properties: { id, time: { type: 'number' }, messaging: { type: 'array', maxItems: 1000 } } },
    },
  },
});

const validateEvent = new Ajv({ strict: false }).compile<InstagramEvent>({
  type: 'object',
  required: ['sender', 'recipient', 'timestamp'],
  properties: {
    sender: { type: 'object', required: ['id'], properties: { id } },
    recipient: { type: 'object', required: ['id'], properties: { id } },
    timestamp: { type: 'number' },
    message: {
      type: 'object',
      required: ['mid'],
      properties: {
        mid: id,
        text: { type: 'string' },
        attachments: { type: 'array', maxItems: 10, items: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } } },
        quick_reply: { type: 'object', properties: { payload: { type: 'string' } } },
      },
    },
    reaction: { type: 'object', required: ['mid', 'action'], properties: { mid: id, action: { type: 'string' }, emoji: { type: 'string', maxLength: 32 } } },
    postback: { type: 'object', required: ['mid'], properties: { mid: id, title: { type: 'string' }, payload: { type: 'string' } } },
    read: { type: 'object', required: ['mid'], properties: { mid: id } },
  },
});

export function parseInstagramCallback(body: unknown): { ok: true; callback: InstagramCallback } | { ok: false; field: string; message: string } {
  if (!validateCallback(body)) return { ok: false, ...describeSchemaError(validateCallback.errors?.[0]) };
  return { ok: true, callback: body };
}

/** A customer's event for the account, ready to translate once the customer's name is known. */
export interface InstagramCustomerEvent {
  event: InstagramEvent;
  customerId: string;
}

/**
 * The events of every entry, in order, each for its account: an entry of another account than
 * the channel's (when `accountId` is set) is not the channel's to answer, and the account's own
 * messages come back as echoes.
 */
export function selectInstagramEvents(callback: InstagramCallback, accountId: string | undefined): Array<InstagramCustomerEvent | { ignored: string }> {
  return callback.entry.flatMap((entry) =>
    (entry.messaging ?? []).map((raw): InstagramCustomerEvent | { ignored: string } => {
      if (accountId !== undefined && entry.id !== accountId) return { ignored: 'an event for another Instagram account' };
      if (!validateEvent(raw)) return { ignored: 'not a messaging event this channel reads' };
      if (raw.message?.is_echo || raw.sender.id === entry.id) return { ignored: "an echo of the account's own message" };
      if (!raw.message && !raw.reaction && !raw.postback && !raw.read) return { ignored: 'an event other than a message, a read, a reaction or a postback' };
      return { event: raw, customerId: raw.sender.id };
    }),
  );
}

/**
 * A customer's event as a customer message, deduplicated on Instagram's message id (a
 * redelivery has the same one); an unsend, a reaction and a postback have ids of their own,
 * made from the message they are about.
 */
export function translateInstagramEvent(
  { event, customerId }: InstagramCustomerEvent,
  name: string | undefined,
  maxMessageLength: number,
  media?: MediaPolicy,
): Translation {
  const content = contentOf(event, media);
  if (!content) return ignored('an empty message');
  return {
    kind: 'message',
    message: {
      id: content.id,
      from: { id: customerId, ...(name ? { name: name.slice(0, 256) } : {}) },
      ...(content.text ? { text: fitText(content.text, maxMessageLength) } : {}),
      ...(content.attachments ? { media: content.attachments } : {}),
      timestamp: new Date(event.timestamp).toISOString(),
      attributes: content.attributes,
    },
  };
}

interface Content {
  id: string;
  text?: string;
  attachments?: InboundAttachment[];
  attributes: Record<string, unknown>;
}

function contentOf(event: InstagramEvent, media: MediaPolicy | undefined): Content | undefined {
  const { message, reaction, postback } = event;
  if (reaction) {
    const emoji = reaction.emoji ?? reaction.reaction ?? '';
    const what = reaction.action !== 'react' ? 'removed a reaction' : emoji ? `reacted ${emoji} to a message` : 'reacted to a message';
    return {
      id: `${reaction.mid}:reaction:${reaction.action}:${emoji}:${event.timestamp}`,
      text: placeholder(what),
      attributes: { instagramMessageId: reaction.mid, instagramReaction: reaction.action },
    };
  }
  if (postback?.payload) {
    const reply = payloadSelection(postback.payload, 'postback', postback.title);
    return { id: postback.mid, text: reply.text, attributes: { ...reply.attributes, instagramMessageId: postback.mid } };
  }
  if (postback) return { id: postback.mid, text: placeholder(`tapped "${postback.title ?? 'a button'}"`), attributes: { instagramMessageId: postback.mid } };
  if (!message) return undefined;
  // The agent must know the customer took a message back: it is said in the conversation, never dropped.
  if (message.is_deleted) {
    return {
      id: `${message.mid}:deleted`,
      text: placeholder('unsent a message'),
      attributes: { instagramMessageId: message.mid, withdraws: message.mid },
    };
  }
  if (message.quick_reply?.payload) {
    const reply = payloadSelection(message.quick_reply.payload, 'button', message.text?.trim() || undefined);
    return { id: message.mid, text: reply.text, attributes: { ...reply.attributes, instagramMessageId: message.mid } };
  }
  const texts: string[] = [];
  const attachments: InboundAttachment[] = [];
  let stickerAttributes: Record<string, unknown> = {};
  const story = message.reply_to?.story;
  if (story) texts.push(placeholder(`replied to your story${story.url ? `: ${story.url}` : ''}`));
  for (const attachment of withoutRepeatedStickers(message.attachments ?? [])) {
    const sticker = instagramSticker(attachment);
    if (sticker) {
      // Its text comes first and stays, should its image fail to download.
      const taken = sticker.file && takeFile(sticker.file, media);
      if (taken && 'attachment' in taken) attachments.push(taken.attachment);
      texts.push(placeholder(taken && 'refused' in taken ? `${sticker.label}, ${taken.refused}` : sticker.label));
      stickerAttributes = sticker.attributes;
      continue;
    }
    const file = fileOfInstagramAttachment(attachment);
    if (!file) {
      texts.push(linkOf(attachment));
      continue;
    }
    const taken = takeFile(file, media);
    if ('attachment' in taken) attachments.push(taken.attachment);
    else texts.push(placeholder(`${file.label}, ${taken.refused}`));
  }
  if (message.text?.trim()) texts.push(message.text);
  if (texts.length === 0 && attachments.length === 0 && message.is_unsupported === true)
    texts.push(placeholder('a GIF, sticker or other content Instagram does not pass on'));
  if (texts.length === 0 && attachments.length === 0) return undefined;
  return {
    id: message.mid,
    ...(texts.length ? { text: texts.join('\n') } : {}),
    ...(attachments.length ? { attachments } : {}),
    attributes: { ...stickerAttributes, instagramMessageId: message.mid },
  };
}

/** Shares, reels and story mentions reach the agent as links: Instagram's own app shows them. */
function linkOf(attachment: InstagramAttachment): string {
  const url = attachment.payload?.url;
  const what: Record<string, string> = {
    share: 'shared a post',
    story_mention: 'mentioned you in their story',
    ig_reel: 'shared a reel',
    reel: 'shared a reel',
  };
  const label = what[attachment.type] ?? `${attachment.type} attachment`;
  return placeholder(url ? `${label}: ${url}` : label);
}
