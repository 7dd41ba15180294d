import type { FromSchema } from 'json-schema-to-ts';
import type { DeliveredAttachment } from '../delivery/channel-events.js';
import { MAX_TEXT_LENGTH } from '../inbound/text-limit.js';
import type { RichContent } from '../rich/rich-content.js';

/**
 * The web chat's WebSocket protocol (see README.md): JSON text frames, each an object
 * with a `type`. The browser's frames are described by their JSON schemas, their types derived
 * from them; `client-frames.ts` validates every one before anything acts on it. The widget
 * imports this module too: it holds nothing a browser cannot run.
 */

export const PROTOCOL_VERSION = 1;
/** The longest text a browser may send until the `welcome` frame tells its channel's own. */
export { MAX_TEXT_LENGTH };
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

/** What the visitor sees in their transcript; `seq` numbers a visitor's events 1, 2, 3... */
export type VisitorEvent =
  | { kind: 'visitor-message'; id: string; text: string; name: string; at: number; media?: DeliveredAttachment[] }
  /** `rich`: a Content template the widget shows as buttons, a list, a card or a place; `text` is the same as text. */
  | { kind: 'agent-message'; id: string; text: string; at: number; media?: DeliveredAttachment[]; rich?: RichContent }
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

/** Number.MAX_SAFE_INTEGER, as a literal: a schema made of literals only is left out of the widget's bundle. */
const MAX_SEQ = 9_007_199_254_740_991;
const CLIENT_ID = { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' } as const;

export const clientFrameTypeSchema = {
  type: 'object',
  required: ['type'],
  properties: { type: { type: 'string', enum: ['hello', 'message', 'read', 'ping'] } },
} as const;

/** What the browser sends, one schema per frame type. */
export const clientFrameSchemas = {
  hello: {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'channel'],
    properties: {
      type: { const: 'hello' },
      v: { type: 'integer', minimum: 1, maximum: 1000 },
      channel: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' },
      token: { type: 'string', minLength: 1, maxLength: 512 },
      after: { type: 'integer', minimum: 0, maximum: MAX_SEQ },
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
      /** The visitor tapped an option of an agent's rich message: sent instead of a text. */
      selection: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'title'],
        properties: {
          id: { type: 'string', minLength: 1, maxLength: 256 },
          title: { type: 'string', minLength: 1, maxLength: 256, pattern: '\\S' },
        },
      },
      /** The visitor shared where they are (the browser's geolocation): sent instead of a text. */
      location: {
        type: 'object',
        additionalProperties: false,
        required: ['latitude', 'longitude'],
        properties: {
          latitude: { type: 'number', minimum: -90, maximum: 90 },
          longitude: { type: 'number', minimum: -180, maximum: 180 },
        },
      },
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

export type HelloFrame = FromSchema<typeof clientFrameSchemas.hello>;
export type MessageFrame = FromSchema<typeof clientFrameSchemas.message>;
/** The visitor has the chat open with the agent's message `upTo` (its event id) on screen. */
export type ReadFrame = FromSchema<typeof clientFrameSchemas.read>;
export type PingFrame = FromSchema<typeof clientFrameSchemas.ping>;
/** What the browser sends. */
export type ClientFrame = HelloFrame | MessageFrame | ReadFrame | PingFrame;
