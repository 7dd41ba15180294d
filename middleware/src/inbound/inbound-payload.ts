import type { CustomerMessage } from '../flex/flex-gateway.js';
import { createPayloadReader, type OUTBOX_PAYLOAD_VERSION } from '../outbox/payload-reader.js';
import type { Customer } from '../sessions/session-opener.js';

/** A `to-flex` outbox entry. */
export interface InboundPayload {
  version: typeof OUTBOX_PAYLOAD_VERSION;
  channelType: string;
  customer: Customer;
  message: CustomerMessage;
}

const text = { type: 'string' } as const;

export const readInboundPayload = createPayloadReader<InboundPayload>({
  type: 'object',
  required: ['version', 'channelType', 'customer', 'message'],
  properties: {
    version: { type: 'integer' },
    channelType: text,
    customer: { type: 'object', required: ['id', 'name'], properties: { id: text, name: text } },
    message: {
      type: 'object',
      required: ['externalId', 'text'],
      properties: { externalId: text, text, sentAt: text, attributes: { type: 'object' } },
    },
  },
});
