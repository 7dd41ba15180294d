import { createPayloadReader, type OUTBOX_PAYLOAD_VERSION } from '../outbox/payload-reader.js';

/** What the channel receives, whatever the adapter: an agent's (or bot's) message, or the end of the conversation. */
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
    }
  | {
      type: 'ended';
      id: string;
      conversationSid: string;
      to: { id: string };
    };

/** A `to-channel` outbox entry: the event and the channel it is for. */
export interface DeliveryPayload {
  version: typeof OUTBOX_PAYLOAD_VERSION;
  channelType: string;
  event: ChannelEvent;
}

const text = { type: 'string' } as const;
const recipient = { type: 'object', required: ['id'], properties: { id: text } } as const;

export const readDeliveryPayload = createPayloadReader<DeliveryPayload>({
  type: 'object',
  required: ['version', 'channelType', 'event'],
  properties: {
    version: { type: 'integer' },
    channelType: text,
    event: {
      type: 'object',
      discriminator: { propertyName: 'type' },
      oneOf: [
        {
          required: ['type', 'id', 'conversationSid', 'to', 'author', 'text'],
          properties: {
            type: { const: 'message' },
            id: text,
            conversationSid: text,
            to: recipient,
            author: text,
            text,
          },
        },
        {
          required: ['type', 'id', 'conversationSid', 'to'],
          properties: { type: { const: 'ended' }, id: text, conversationSid: text, to: recipient },
        },
      ],
    },
  },
});
