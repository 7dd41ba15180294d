import { createPayloadReader, OUTBOX_PAYLOAD_VERSION, type PayloadOf } from '../outbox/payload-reader.js';

const text = { type: 'string' } as const;

/** A `to-flex` outbox entry, written by the inbound service: the customer's message, or one attachment of it; or a survey's answers to write. */
const inboundPayloadSchema = {
  type: 'object',
  required: ['version', 'channelType', 'customer', 'message'],
  properties: {
    version: { const: OUTBOX_PAYLOAD_VERSION },
    channelType: text,
    customer: { type: 'object', required: ['id', 'name'], properties: { id: text, name: text } },
    /** For an attachment entry, the message it belongs to with an empty text. */
    message: {
      type: 'object',
      required: ['externalId', 'text'],
      properties: { externalId: text, text, sentAt: text, attributes: { type: 'object', additionalProperties: true } },
    },
    /**
     * Set on an attachment entry: one attachment of the message, posted after its text. `index`
     * is its place in the message's `media`, from 0: part of its dedupe key and of the posted message's attributes.
     */
    attachment: {
      type: 'object',
      required: ['index'],
      properties: { index: { type: 'integer', minimum: 0 }, url: text, mediaSid: text, platformFileId: text, contentType: text, filename: text },
    },
    /** Set on a survey entry (queued by the survey runner, with an empty message): write that session's survey answers to its task. */
    survey: { type: 'object', required: ['sessionId'], properties: { sessionId: text } },
  },
} as const;

export type InboundPayload = PayloadOf<typeof inboundPayloadSchema>;
export const readInboundPayload = createPayloadReader(inboundPayloadSchema);
