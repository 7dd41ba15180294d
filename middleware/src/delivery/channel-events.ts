import type { RichContent } from '../rich/rich-content.js';
import { createPayloadReader, OUTBOX_PAYLOAD_VERSION, type PayloadOf } from '../outbox/payload-reader.js';

/** An attachment as the channel receives it: a URL it can fetch without Twilio credentials, until it expires. */
export interface DeliveredAttachment {
  url: string;
  contentType: string;
  filename: string | null;
  size: number | null;
}

/** The events the outbox holds for a channel; their types below come from this schema. */
const text = { type: 'string' } as const;
const common = { id: text, conversationSid: text, to: { type: 'object', required: ['id'], properties: { id: text } } } as const;
const commonRequired = ['type', 'id', 'conversationSid', 'to'] as const;

const deliveryPayloadSchema = {
  type: 'object',
  required: ['version', 'channelType', 'event'],
  properties: {
    version: { const: OUTBOX_PAYLOAD_VERSION },
    channelType: text,
    /** A message's files in the Media Content Service; turned into `event.media` when delivered. */
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
        /** An agent's (or bot's) message; `id` is the Twilio message SID, stable across redeliveries; `author` the agent's identity in Flex. */
        {
          required: [...commonRequired, 'author', 'text'],
          properties: {
            type: { const: 'message' },
            ...common,
            author: text,
            text,
            /** Posted with a Content template (ContentSid): rendered per channel when delivered. */
            content: {
              type: 'object',
              required: ['sid', 'variables'],
              properties: { sid: text, variables: { type: 'object', additionalProperties: text } },
            },
          },
        },
        { required: commonRequired, properties: { type: { const: 'ended' }, ...common } },
        /** An agent joined: the first one, or the next after a transfer; `displayName` when Twilio's participant attributes carry one. */
        { required: [...commonRequired, 'agent'], properties: { type: { const: 'agent_changed' }, ...common, agent: text, displayName: text } },
        /**
         * An agent's read as it waits: Twilio reports a message index (`upToIndex`), the channel is told the id of
         * its own message, looked up when the event is delivered; `customerIdentity` says whose messages count.
         */
        {
          required: [...commonRequired, 'customerIdentity', 'upToIndex'],
          properties: { type: { const: 'agent_read' }, ...common, customerIdentity: text, upToIndex: { type: 'integer', minimum: 0 } },
        },
      ],
    },
  },
} as const;

/** A `to-channel` outbox entry: the event and the channel it is for. */
export type DeliveryPayload = PayloadOf<typeof deliveryPayloadSchema>;
export const readDeliveryPayload = createPayloadReader(deliveryPayloadSchema);

type StoredEvent = DeliveryPayload['event'];
export type PendingReadEvent = Extract<StoredEvent, { type: 'agent_read' }>;
export type AgentChangedEvent = Extract<StoredEvent, { type: 'agent_changed' }>;

/** The agent has read the customer's messages up to this one (the channel's own message id). */
export interface ReadEvent {
  type: 'read';
  id: string;
  conversationSid: string;
  to: { id: string };
  upTo: string;
}

/**
 * What the channel receives, whatever the adapter: an agent's (or bot's) message with the
 * attachments the channel takes (Flex sends one per message, with an empty text), the end of
 * the conversation, an agent joining, a read receipt.
 */
export type ChannelEvent =
  | (Extract<StoredEvent, { type: 'message' }> & { media?: DeliveredAttachment[]; rich?: RichContent })
  | Extract<StoredEvent, { type: 'ended' }>
  | AgentChangedEvent
  | ReadEvent;
