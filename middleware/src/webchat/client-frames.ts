import { Ajv, type ValidateFunction } from 'ajv';
import { describeSchemaError } from '../shared/schema-error.js';
import { clientFrameSchemas, clientFrameTypeSchema, type ClientFrame, type HelloFrame, type MessageFrame, type PingFrame, type ReadFrame } from './protocol.js';

const ajv = new Ajv({ allErrors: false, strict: true });
const validateType = ajv.compile<{ type: ClientFrame['type'] }>(clientFrameTypeSchema);
const validators: Record<ClientFrame['type'], ValidateFunction<ClientFrame>> = {
  hello: ajv.compile<HelloFrame>(clientFrameSchemas.hello),
  message: ajv.compile<MessageFrame>(clientFrameSchemas.message),
  read: ajv.compile<ReadFrame>(clientFrameSchemas.read),
  ping: ajv.compile<PingFrame>(clientFrameSchemas.ping),
};

export type FrameParse = { ok: true; frame: ClientFrame } | { ok: false; code: 'invalid_json' | 'invalid_frame'; field?: string; message: string; id?: string };

/** Parses and validates one text frame from the browser; on failure names the offending field as a JSON pointer (`/text`). */
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
    const id = 'id' in value ? value.id : undefined;
    return {
      ok: false,
      code: 'invalid_frame',
      ...describeSchemaError(validate.errors?.[0]),
      ...(typeof id === 'string' && id.length <= 64 ? { id } : {}),
    };
  }
  if (value.type === 'message' && value.text === undefined && value.media === undefined && value.selection === undefined && value.location === undefined) {
    return { ok: false, code: 'invalid_frame', field: '/text', message: 'is required (unless the message has media, a selection or a location)', id: value.id };
  }
  for (const alone of ['selection', 'location'] as const) {
    if (value.type === 'message' && value[alone] !== undefined && Object.keys(value).some((key) => key !== alone && !['type', 'id', 'name'].includes(key))) {
      return { ok: false, code: 'invalid_frame', field: `/${alone}`, message: 'comes alone, without text, media, a selection or a location', id: value.id };
    }
  }
  return { ok: true, frame: value };
}
