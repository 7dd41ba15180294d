import type { ChannelDefinition, ChannelsConfig } from '../types';
import { validateChannel, validateChannelsFile } from './compiled-schema';
import type { SchemaError } from './schema-error';

export type Validation<T> = { ok: true; value: T } | { ok: false; problems: string[] };

const FIELD_HINTS: Record<string, string> = {
  channelType:
    "must be 3-32 lowercase letters, digits or dashes, starting with a letter, and not one of Flex's own chat types (web, sms, whatsapp, messenger, ...)",
  color: 'must be a hex color such as "#1F6FEB"',
  icon: 'must be inline SVG markup, "<svg ...>...</svg>", of at most 8192 characters',
};

const HINTED_KEYWORDS = new Set(['pattern', 'not', 'maxLength']);
const MEDIA_TYPE_HINT = 'must be a lower-case media type such as "application/pdf", or a family such as "image/*"';
const TRIPLE_BRACE_HINT = 'must not use triple braces "{{{...}}}": Flex refuses unescaped HTML in templates';

/** Validates the whole channels.json document. */
export function validateChannelsConfig(value: unknown): Validation<ChannelsConfig> {
  if (!validateChannelsFile(value)) {
    return { ok: false, problems: describe(validateChannelsFile.errors, value) };
  }
  const duplicates = findDuplicateTypes(value.channels);
  if (duplicates.length > 0) {
    return {
      ok: false,
      problems: duplicates.map((type) => `channel "${type}": channelType is used by more than one channel`),
    };
  }
  return { ok: true, value };
}

/** Validates one channel entry; `label` says where it came from in the messages. */
export function validateChannelDefinition(value: unknown, label: string): Validation<ChannelDefinition> {
  if (!validateChannel(value)) {
    return { ok: false, problems: describeRelativeTo(label, validateChannel.errors) };
  }
  return { ok: true, value };
}

function findDuplicateTypes(channels: ChannelDefinition[]): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const { channelType } of channels) {
    if (seen.has(channelType)) duplicates.add(channelType);
    seen.add(channelType);
  }
  return [...duplicates];
}

function describe(errors: SchemaError[] | null | undefined, document: unknown): string[] {
  return unique(
    relevant(errors).map((error) => {
      const match = /^\/channels\/(\d+)(\/.*)?$/.exec(error.instancePath);
      if (!match) return `${error.instancePath || 'channels.json'}: ${message(error)}`;
      const index = Number(match[1]);
      return `${channelLabel(document, index)}: ${fieldMessage(match[2] ?? '', error)}`;
    }),
  );
}

function describeRelativeTo(label: string, errors: SchemaError[] | null | undefined): string[] {
  return unique(relevant(errors).map((error) => `${label}: ${fieldMessage(error.instancePath, error)}`));
}

/** An if/then failure is reported twice; the branch's own error alone says what is wrong. */
function relevant(errors: SchemaError[] | null | undefined): SchemaError[] {
  return (errors ?? []).filter((error) => error.keyword !== 'if');
}

function fieldMessage(pointer: string, error: SchemaError): string {
  const field = pointer
    .split('/')
    .filter(Boolean)
    .concat(error.keyword === 'additionalProperties' ? [String(error.params.additionalProperty)] : [])
    .concat(error.keyword === 'required' ? [String(error.params.missingProperty)] : [])
    .join('.');
  if (!field) return message(error);
  if (error.keyword === 'additionalProperties') return `field "${field}" is not allowed`;
  if (error.keyword === 'required') return `field "${field}" is required`;
  if (/^(templates|profile)\./.test(field) && error.keyword === 'not') return `field "${field}" ${TRIPLE_BRACE_HINT}`;
  if (/^media\.accept\.\d+$/.test(field) && error.keyword === 'pattern') return `field "${field}" ${MEDIA_TYPE_HINT}`;
  const hint = FIELD_HINTS[field];
  return `field "${field}" ${hint && HINTED_KEYWORDS.has(error.keyword) ? hint : message(error)}`;
}

function message(error: SchemaError): string {
  if (error.keyword === 'enum') return `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return error.message ?? 'is invalid';
}

function channelLabel(document: unknown, index: number): string {
  const channels = (document as { channels?: unknown[] })?.channels;
  const entry = Array.isArray(channels) ? channels[index] : undefined;
  const type = entry && typeof entry === 'object' ? (entry as { channelType?: unknown }).channelType : undefined;
  return typeof type === 'string' ? `channel "${type}" (channels[${index}])` : `channels[${index}]`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
