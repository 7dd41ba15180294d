import { Ajv, type ErrorObject } from 'ajv';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import { UnparseablePayload } from '../store/stored-payload.js';

/**
 * The shape version written into every outbox payload. Entries written before payloads
 * carried one have none; they are version 1, which has the same fields.
 */
export const OUTBOX_PAYLOAD_VERSION = 2;
const READABLE_VERSIONS: readonly number[] = [1, OUTBOX_PAYLOAD_VERSION];

export type PayloadReading<Payload> = { ok: true; payload: Payload } | { ok: false; problem: string };

/** Turns a stored payload into a typed value, or says (without quoting it) why it cannot. */
export type PayloadReader<Payload> = (stored: unknown) => PayloadReading<Payload>;

const ajv = new Ajv({ allErrors: false, strict: true, discriminator: true });

/**
 * The payload a schema describes: json-schema-to-ts's type, less the `[x: string]: unknown`
 * it gives objects that may carry other fields (they are still allowed, only not typed).
 */
export type PayloadOf<Schema extends JSONSchema> = Known<FromSchema<Schema>>;
type Known<T> = T extends readonly (infer Item)[] ? Known<Item>[] : T extends object ? { [K in keyof T as string extends K ? never : K]: Known<T[K]> } : T;

/** A reader for one queue's payloads: its JSON schema (`as const`) describes the current version, `version` included, and gives the payload's type. */
export function createPayloadReader<const Schema extends Exclude<JSONSchema, boolean>>(schema: Schema): PayloadReader<PayloadOf<Schema>> {
  return readerOf<PayloadOf<Schema>>(schema);
}

/** ajv checks that a value is a `Payload`; the type comes from the same schema (see PayloadOf). */
function readerOf<Payload>(schema: object): PayloadReader<Payload> {
  const validate = ajv.compile<Payload>(schema);
  return (stored) => {
    if (stored instanceof UnparseablePayload) return { ok: false, problem: 'payload is not JSON' };
    if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return { ok: false, problem: 'payload is not an object' };
    const version = (stored as { version?: unknown }).version ?? 1;
    if (typeof version !== 'number' || !READABLE_VERSIONS.includes(version)) {
      const named = Number.isSafeInteger(version) ? `version ${String(version)}` : 'a version that is not a number';
      return {
        ok: false,
        problem: `payload has ${named}; this build reads versions ${READABLE_VERSIONS.join(' and ')}`,
      };
    }
    const current = { ...stored, version: OUTBOX_PAYLOAD_VERSION };
    if (!validate(current)) return { ok: false, problem: `payload (version ${version}) ${describe(validate.errors?.[0])}` };
    return { ok: true, payload: current };
  };
}

/** The field and the rule it breaks; ajv's messages name types and limits, never the value. */
function describe(error: ErrorObject | undefined): string {
  if (!error) return 'is invalid';
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return `${error.instancePath}/${missing} is required`;
  }
  return `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`;
}
