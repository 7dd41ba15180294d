import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { format, resolveConfig } from 'prettier';
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
  const { adapter, maxMessageLength } = schema.definitions.channel.properties;
  const quoted = MESSENGER_PLATFORMS.map((platform) => `'${platform.adapter}'`);
  adapter.enum = [...adapter.enum, ...MESSENGER_PLATFORMS.map((platform) => platform.adapter)];
  adapter.description += `, or a messenger platform: ${MESSENGER_PLATFORMS.map((platform, i) => `${quoted[i]} (${platform.schema.summary})`).join(', ')}.`;
  maxMessageLength.description += `: ${MESSENGER_PLATFORMS.map((platform, i) => `${platform.schema.textLimit} for ${quoted[i]}`).join(', ')}.`;

  const types = await compile(schema, 'ChannelsFile', {
    bannerComment: '',
    additionalProperties: false,
    ignoreMinAndMaxItems: true,
    unreachableDefinitions: true,
    format: false,
  });
  const limits = MESSENGER_PLATFORMS.map((platform) => `${platform.adapter}: ${platform.schema.textLimit}`).join(', ');
  const constants = [
    `/** The messenger platforms' adapters: each one's own webhooks in, its send API out. */`,
    `export const MESSENGER_ADAPTERS = [${quoted.join(', ')}] as const;`,
    `/** The longest text each messenger platform takes in one message. */`,
    `export const MESSENGER_TEXT_LIMITS = { ${limits} } as const;`,
  ].join('\n');
  // The codegen hint is for this script; editors and the validator get plain JSON Schema.
  const published = JSON.stringify(schema, (key, value) => (key === 'tsType' ? undefined : value), 2);
  const prettierOptions = (await resolveConfig(join(REPOSITORY_ROOT, GENERATED_FILES.types))) ?? {};
  return {
    [GENERATED_FILES.schema]: await format(published, { ...prettierOptions, parser: 'json' }),
    [GENERATED_FILES.types]: await format(`${HEADER}\n${types}\n${constants}\n`, { ...prettierOptions, parser: 'typescript' }),
  };
}
