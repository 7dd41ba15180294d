import { createPayloadReader } from '../outbox/payload-reader.js';
import type { InboundPayload } from './inbound-service.js';

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
    attachment: {
      type: 'object',
      required: ['index'],
      properties: { index: { type: 'integer', minimum: 0 }, url: text, mediaSid: text, platformFileId: text, contentType: text, filename: text },
    },
  },
});
