import { Ajv, type ValidateFunction } from 'ajv';
import { MAX_TEXT_LENGTH } from '../inbound/inbound-message.js';
import { describeSchemaError } from '../shared/schema-error.js';
import type { DeliveredAttachment } from '../delivery/channel-events.js';
import type { UploadedFile } from './upload-tickets.js';

/**
 * The web chat's WebSocket protocol (see README.md): JSON text frames, each an object
 * with a `type`. Every frame from the browser is validated here before anything acts on it.
 */

export const PROTOCOL_VERSION = 1;
export const MAX_NAME_LENGTH = 80;
/** The most missed events a reconnecting browser is sent at once. */
export const MAX_CATCH_UP = 5000;
/** Larger frames are refused by the socket itself (close code 1009). */
export const MAX_FRAME_BYTES = 4 * MAX_TEXT_LENGTH + 4096;

/** Why the middleware closes a socket (the close frame's code). */
export const CLOSE_CODES = {
  /** The page's origin is not allowed (WEBCHAT_ALLOWED_ORIGINS), or the channel is unknown: reconnecting will not help. */
  originNotAllowed: 1008,
  unknownChannel: 1008,
  /** Too many sockets, on this instance or of this visitor: reconnect later. */
  tryAgainLater: 1013,
  /** The socket did not read what it was sent (its buffer did not drain in time). */
  notReading: 4000,
} as const;

/** What the browser sends. */
export type ClientFrame =
  | { type: 'hello'; v?: number; channel: string; token?: string; after?: number; epoch?: string }
  | { type: 'message'; id: string; text?: string; name: string; media?: Array<UploadedFile & { ticket: string }> }
  /** The visitor has the chat open with the agent's message `upTo` (its event id) on screen. */
  | { type: 'read'; upTo: string }
  | { type: 'ping' };

/** What the visitor sees in their transcript; `seq` numbers a visitor's events 1, 2, 3... */
export type VisitorEvent =
  | { kind: 'visitor-message'; id: string; text: string; name: string; at: number; media?: DeliveredAttachment[] }
  | { kind: 'agent-message'; id: string; text: string; at: number; media?: DeliveredAttachment[] }
  | { kind: 'ended'; id: string; at: number }
  /** The agent has read the visitor's messages up to `upTo` (a visitor message id). */
  | { kind: 'read'; id: string; upTo: string; at: number };

/** What the middleware sends. */
export type ServerFrame =
  | {
      type: 'welcome';
      v: number;
      visitorId: string;
      token: string;
      epoch: string;
      reset: boolean;
      /** The longest message text, in characters, the channel takes. */
      maxMessageLength: number;
      /** The attachments the channel takes; absent: text only. */
      media?: { accept: string[]; maxBytes: number };
    }
  | { type: 'event'; seq: number; event: VisitorEvent }
  | { type: 'synced'; seq: number }
  | { type: 'ack'; id: string; seq: number; status: 'accepted' | 'duplicate' }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string; field?: string; id?: string; retryAfterSeconds?: number };

const CLIENT_ID = { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' } as const;

const typeSchema = {
  type: 'object',
  required: ['type'],
  properties: { type: { type: 'string', enum: ['hello', 'message', 'read', 'ping'] } },
} as const;

const frameSchemas = {
  hello: {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'channel'],
    properties: {
      type: { const: 'hello' },
      v: { type: 'integer', minimum: 1, maximum: 1000 },
      channel: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' },
      token: { type: 'string', minLength: 1, maxLength: 512 },
      after: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
      epoch: { type: 'string', minLength: 1, maxLength: 64 },
    },
  },
  message: {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'id', 'name'],
    properties: {
      type: { const: 'message' },
      id: CLIENT_ID,
      // At least one character that is not white space; required unless the message has media.
      text: { type: 'string', minLength: 1, maxLength: MAX_TEXT_LENGTH, pattern: '\\S' },
      name: { type: 'string', minLength: 1, maxLength: MAX_NAME_LENGTH, pattern: '\\S' },
      media: {
        type: 'array',
        minItems: 1,
        maxItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['mediaSid', 'serviceSid', 'contentType', 'size', 'ticket'],
          properties: {
            mediaSid: { type: 'string', pattern: '^ME[0-9a-fA-F]{32}$' },
            serviceSid: { type: 'string', pattern: '^IS[0-9a-fA-F]{32}$' },
            contentType: { type: 'string', minLength: 3, maxLength: 127 },
            filename: { type: 'string', minLength: 1, maxLength: 255 },
            size: { type: 'integer', minimum: 1 },
            ticket: { type: 'string', minLength: 1, maxLength: 128 },
          },
        },
      },
    },
  },
  read: {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'upTo'],
    properties: { type: { const: 'read' }, upTo: { type: 'string', pattern: '^IM[0-9a-fA-F]{32}$' } },
  },
  ping: {
    type: 'object',
    additionalProperties: false,
    required: ['type'],
    properties: { type: { const: 'ping' } },
  },
} as const;

const ajv = new Ajv({ allErrors: false, strict: true });
const validateType = ajv.compile<{ type: ClientFrame['type'] }>(typeSchema);
const validators = Object.fromEntries(Object.entries(frameSchemas).map(([type, schema]) => [type, ajv.compile(schema)])) as Record<
  ClientFrame['type'],
  ValidateFunction<ClientFrame>
>;

export type FrameParse = { ok: true; frame: ClientFrame } | { ok: false; code: 'invalid_json' | 'invalid_frame'; field?: string; message: string; id?: string };

/** Parses and validates one text frame; on failure names the offending field as a JSON pointer (`/text`). */
export function parseClientFrame(data: string): FrameParse {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { ok: false, code: 'invalid_json', message: 'the frame is not valid JSON' };
  }
  if (!validateType(value)) return { ok: false, code: 'invalid_frame', ...describeSchemaError(validateType.errors?.[0]) };
  const validate = validators[value.type];
  if (!validate(value)) {
    const id = (value as { id?: unknown }).id;
    return {
      ok: false,
      code: 'invalid_frame',
      ...describeSchemaError(validate.errors?.[0]),
      ...(typeof id === 'string' && id.length <= 64 ? { id } : {}),
    };
  }
  if (value.type === 'message' && value.text === undefined && value.media === undefined) {
    return { ok: false, code: 'invalid_frame', field: '/text', message: 'is required (unless the message has media)', id: value.id };
  }
  return { ok: true, frame: value };
}
