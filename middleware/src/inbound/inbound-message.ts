import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describeSchemaError } from '../shared/schema-error.js';
import { MAX_TEXT_LENGTH } from './text-limit.js';

/** The generic custom-channel protocol: what a channel POSTs to /inbound/:channelType. */
export interface InboundMessage {
  /** The channel's own message id; a redelivery with the same id is acknowledged and dropped. */
  id: string;
  from: { id: string; name?: string };
  /** Required unless the message carries attachments. */
  text?: string;
  /** Files to fetch and pass on, each its own Flex message after the text (see media/). */
  media?: InboundAttachment[];
  /** When the customer sent it, ISO 8601. */
  timestamp?: string;
  /** Extra data for Flex, kept in the Twilio message attributes. */
  attributes?: Record<string, unknown>;
}

/** One attachment as the channel hands it over: where to fetch it, and what it says it is. */
export interface InboundAttachment {
  /** Where to download it (the HTTP protocol). */
  url?: string;
  /** A file already in the Media Content Service (a web chat upload): nothing to download. */
  mediaSid?: string;
  /**
   * A messenger's own reference to the file (a Telegram file_id, a LINE message id), located
   * through the platform's API when it is fetched. Set by the messenger adapters only: the
   * HTTP protocol's schema does not take it.
   */
  platformFileId?: string;
  contentType?: string;
  filename?: string;
}

/** Attachments one inbound message may carry. */
export const MAX_ATTACHMENTS = 10;

/** Twilio keeps at most 4 KB of message attributes; the middleware adds its own few fields. */
export const MAX_ATTRIBUTES_BYTES = 3072;
/** Levels of nesting in `attributes` (the object itself is the first): plenty for data, and bounded for every walk over it. */
export const MAX_ATTRIBUTES_DEPTH = 32;
/**
 * The keys the middleware writes into the message attributes itself, and reads back (to find
 * a post again, to tell its own notices apart): a channel's attributes may not set them.
 */
export const RESERVED_ATTRIBUTE_KEYS = ['externalId', 'attachmentIndex', 'channelType', 'sentAt', 'systemNotice'] as const;
export { MAX_TEXT_LENGTH };

const schema = {
  type: 'object',
  required: ['id', 'from'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 256 },
    from: {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string', minLength: 1, maxLength: 256 },
        name: { type: 'string', minLength: 1, maxLength: 256 },
      },
    },
    // At least one character that is not white space: an agent cannot answer a blank message.
    text: { type: 'string', minLength: 1, maxLength: MAX_TEXT_LENGTH, pattern: '\\S' },
    timestamp: { type: 'string', format: 'date-time' },
    attributes: { type: 'object' },
    media: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_ATTACHMENTS,
      items: {
        type: 'object',
        required: ['url'],
        additionalProperties: false,
        properties: {
          url: { type: 'string', minLength: 1, maxLength: 2048 },
          contentType: { type: 'string', minLength: 3, maxLength: 127 },
          filename: { type: 'string', minLength: 1, maxLength: 255 },
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: false, strict: true });
// ajv-formats is CommonJS: under NodeNext its default export arrives as `.default`.
ajvFormats.default(ajv);
const validate = ajv.compile<InboundMessage>(schema);

export type InboundValidation = { ok: true; message: InboundMessage } | { ok: false; field: string; message: string };

/** Characters as the schema's maxLength counts them: code points, so an emoji is one. */
export function messageLength(text: string): number {
  return Array.from(text).length;
}

/** Why a text is too long for a channel taking at most `maxMessageLength` characters, if it is. */
export function textTooLong(text: string, maxMessageLength: number): string | undefined {
  const length = messageLength(text);
  if (length <= maxMessageLength) return undefined;
  return `must be at most ${maxMessageLength} characters, this channel's limit (it is ${length})`;
}

/**
 * Checks a parsed body against the protocol and the channel's message limit; on failure names
 * the first offending field as a JSON pointer (`/from/id`).
 */
export function validateInboundMessage(body: unknown, maxMessageLength: number): InboundValidation {
  if (!validate(body)) return { ok: false, ...describeSchemaError(validate.errors?.[0]) };
  if (body.text === undefined && body.media === undefined) return { ok: false, field: '/text', message: 'is required (unless the message has media)' };
  const tooLong = body.text === undefined ? undefined : textTooLong(body.text, maxMessageLength);
  if (tooLong) return { ok: false, field: '/text', message: tooLong };
  const attributes = body.attributes === undefined ? undefined : attributesProblem(body.attributes);
  if (attributes) return { ok: false, ...attributes };
  return { ok: true, message: body };
}

function attributesProblem(attributes: Record<string, unknown>): { field: string; message: string } | undefined {
  const reserved = RESERVED_ATTRIBUTE_KEYS.find((key) => Object.hasOwn(attributes, key));
  if (reserved) return { field: `/attributes/${reserved}`, message: 'is set by the middleware itself; use another key' };
  // Checked before serialising: JSON.stringify recurses, and overflows the stack on deep nesting.
  if (nestedDeeperThan(attributes, MAX_ATTRIBUTES_DEPTH))
    return { field: '/attributes', message: `must be nested at most ${MAX_ATTRIBUTES_DEPTH} levels deep` };
  if (Buffer.byteLength(JSON.stringify(attributes)) > MAX_ATTRIBUTES_BYTES) {
    return { field: '/attributes', message: `must serialise to at most ${MAX_ATTRIBUTES_BYTES} bytes` };
  }
  return undefined;
}

/** Whether objects and arrays nest deeper than `limit` levels; a loop, not recursion, whatever the depth. */
function nestedDeeperThan(value: object, limit: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth > limit) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}
