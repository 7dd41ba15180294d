import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { format, resolveConfig } from 'prettier';
import type { MessengerPlatform } from '../src/messengers/messenger-platform.js';
import { MESSENGER_PLATFORMS } from '../src/messengers/registry.js';

/** The repository's root: the generated files are the contract's, outside this package. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BASE_SCHEMA = 'contract/schema/channels.base.schema.json';
/** The files `npm run generate` writes, relative to the repository's root. */
export const GENERATED_FILES = { schema: 'channels.schema.json', types: 'contract/src/generated/channels.ts' } as const;

const HEADER = '// Written by `npm run generate -w middleware` from contract/schema/channels.base.schema.json and the messenger platforms: do not edit.\n';

interface BaseSchema extends JSONSchema {
  definitions: { channel: { properties: { adapter: { description: string; enum: string[] }; maxMessageLength: { description: string } } } };
}

/** channels.schema.json and the contract's types, from the base schema and each registered platform's description. */
export async function contractFiles(): Promise<Record<string, string>> {
  const base = JSON.parse(await readFile(join(REPOSITORY_ROOT, BASE_SCHEMA), 'utf8')) as BaseSchema;
  const { $comment: _ignored, ...schema } = base;
  const properties = schema.definitions.channel.properties;
  const listed = (say: (platform: MessengerPlatform) => string) => MESSENGER_PLATFORMS.map(say).join(', ');
  properties.adapter.enum = [...properties.adapter.enum, ...MESSENGER_PLATFORMS.map((platform) => platform.adapter)];
  properties.adapter.description += `, or a messenger platform: ${listed((platform) => `'${platform.adapter}' (${platform.schema.summary})`)}.`;
  properties.maxMessageLength.description += `: ${listed((platform) => `${platform.schema.textLimit} for '${platform.adapter}'`)}.`;

  // Arrays stay arrays (not tuples of 1 to 50 channels); `template`'s `tsType` names its if/else union, which the generator does not read.
  const types = await compile(schema, 'ChannelsFile', {
    bannerComment: '',
    additionalProperties: false,
    ignoreMinAndMaxItems: true,
    unreachableDefinitions: true,
    format: false,
  });
  const constants = [
    `/** The messenger platforms' adapters: each one's own webhooks in, its send API out. */`,
    `export const MESSENGER_ADAPTERS = [${listed((platform) => `'${platform.adapter}'`)}] as const;`,
    `/** The longest text each messenger platform takes in one message. */`,
    `export const MESSENGER_TEXT_LIMITS = { ${listed((platform) => `${platform.adapter}: ${platform.schema.textLimit}`)} } as const;`,
  ].join('\n');
  // The codegen hint is for this script; editors and the validator get plain JSON Schema.
  const published = JSON.stringify(schema, (key, value) => (key === 'tsType' ? undefined : value), 2);
  const prettierOptions = (await resolveConfig(join(REPOSITORY_ROOT, GENERATED_FILES.types))) ?? {};
  return {
    [GENERATED_FILES.schema]: await format(published, { ...prettierOptions, parser: 'json' }),
    [GENERATED_FILES.types]: await format(`${HEADER}\n${types}\n${constants}\n`, { ...prettierOptions, parser: 'typescript' }),
  };
}
