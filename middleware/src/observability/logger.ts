import pino, { type DestinationStream, type Logger } from 'pino';
import { serializeError } from '@custom-channels/logging';

export type { Logger } from 'pino';

/**
 * JSON logs. Code logs ids and hashes only (see hashForLog). Errors pass through the
 * allow-list serializer, under any key: pino's own would write every enumerable field of
 * an error, credentials and request bodies included. The redaction is a second net for
 * headers that carry secrets or signatures.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'custom-channels-middleware' },
      serializers: { err: serializeError, error: serializeError },
      formatters: { log: serializeNestedErrors },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers["x-hub-signature-256"]',
          'req.headers["x-channel-signature"]',
          'req.headers["x-twilio-signature"]',
          'req.headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** Errors logged under other keys than `err` (`{ rollbackError }`, `{ cause }`) are serialized the same way. */
function serializeNestedErrors(object: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(object)) {
    if (value instanceof Error && key !== 'err' && key !== 'error') {
      copy ??= { ...object };
      copy[key] = serializeError(value);
    }
  }
  return copy ?? object;
}
