import { Ajv } from 'ajv';
import { describeSchemaError } from '../shared/schema-error.js';

/** The customer has seen the agent's messages up to `upTo` (the `id` of a message event the channel received). */
export interface InboundRead {
  type: 'read';
  from: { id: string };
  upTo: string;
}

const schema = {
  type: 'object',
  required: ['type', 'from', 'upTo'],
  properties: {
    type: { const: 'read' },
    from: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 256 } } },
    upTo: { type: 'string', minLength: 1, maxLength: 256 },
  },
} as const;

const validate = new Ajv({ allErrors: false, strict: true }).compile<InboundRead>(schema);

/** A body that says it is a read event (any other body is a message). */
export function isReadBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { type?: unknown }).type === 'read';
}

export type InboundReadValidation = { ok: true; read: InboundRead } | { ok: false; field: string; message: string };

export function validateInboundRead(body: unknown): InboundReadValidation {
  if (!validate(body)) return { ok: false, ...describeSchemaError(validate.errors?.[0]) };
  return { ok: true, read: body };
}
