import type { AgentAttachment } from '../media/agent-media.js';
import { createPayloadReader, type OUTBOX_PAYLOAD_VERSION } from '../outbox/payload-reader.js';

/** An attachment as the channel receives it: a URL it can fetch without Twilio credentials, until it expires. */
export interface DeliveredAttachment {
  url: string;
  contentType: string;
  filename: string | null;
  size: number | null;
}

/** What the channel receives, whatever the adapter: an agent's (or bot's) message, the end of the conversation, an agent joining, a read receipt. */
export type ChannelEvent =
  | {
      type: 'message';
      /** The Twilio message SID: stable across redeliveries, so the channel can drop duplicates. */
      id: string;
      conversationSid: string;
      to: { id: string };
      /** The agent's (or bot's) identity in Flex. */
      author: string;
      text: string;
      /** The agent's attachments the channel takes (Flex sends one per message, with an empty text). */
      media?: DeliveredAttachment[];
    }
  | {
      type: 'ended';
      id: string;
      conversationSid: string;
      to: { id: string };
    }
  | AgentChangedEvent
  | ReadEvent;

/** An agent joined the conversation: the first one, or the next after a transfer. */
export interface AgentChangedEvent {
  type: 'agent_changed';
  id: string;
  conversationSid: string;
  to: { id: string };
  /** The agent's identity in Flex, as messages give it in `author`. */
  agent: string;
  /** The agent's name, when Twilio's participant attributes carry one. */
  displayName?: string;
}

/** The agent has read the customer's messages up to this one (the channel's own message id). */
export interface ReadEvent {
  type: 'read';
  id: string;
  conversationSid: string;
  to: { id: string };
  upTo: string;
}

/**
 * How an agent's read waits in the outbox: Twilio reports a message index, the channel is
 * told the id of its own message; that is looked up when the event is delivered.
 */
export interface PendingReadEvent {
  type: 'agent_read';
  id: string;
  conversationSid: string;
  to: { id: string };
  /** The customer's Twilio identity: whose messages count. */
  customerIdentity: string;
  upToIndex: number;
}

/** A `to-channel` outbox entry: the event and the channel it is for. */
export interface DeliveryPayload {
  version: typeof OUTBOX_PAYLOAD_VERSION;
  channelType: string;
  event: Exclude<ChannelEvent, ReadEvent> | PendingReadEvent;
  /** A message's files in the Media Content Service; turned into `event.media` when delivered. */
  attachments?: AgentAttachment[];
}

const text = { type: 'string' } as const;
const recipient = { type: 'object', required: ['id'], properties: { id: text } } as const;

/** One kind of event: the fields every event has, then its own required and optional ones. */
function eventSchema(type: string, required: Record<string, object>, optional: Record<string, object> = {}) {
  return {
    required: ['type', 'id', 'conversationSid', 'to', ...Object.keys(required)],
    properties: { type: { const: type }, id: text, conversationSid: text, to: recipient, ...required, ...optional },
  };
}

export const readDeliveryPayload = createPayloadReader<DeliveryPayload>({
  type: 'object',
  required: ['version', 'channelType', 'event'],
  properties: {
    version: { type: 'integer' },
    channelType: text,
    attachments: {
      type: 'array',
      items: {
        type: 'object',
        required: ['sid', 'serviceSid', 'contentType'],
        properties: { sid: text, serviceSid: text, contentType: text, filename: { type: 'string', nullable: true }, size: { type: 'integer' } },
      },
    },
    event: {
      type: 'object',
      discriminator: { propertyName: 'type' },
      oneOf: [
        eventSchema('message', { author: text, text }),
        eventSchema('ended', {}),
        eventSchema('agent_changed', { agent: text }, { displayName: text }),
        eventSchema('agent_read', { customerIdentity: text, upToIndex: { type: 'integer', minimum: 0 } }),
      ],
    },
  },
});
