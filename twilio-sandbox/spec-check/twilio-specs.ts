/**
 * Twilio's official OpenAPI specs, for checking what the stand-in answers and what the kit
 * sends against Twilio's own contract. Read from TWILIO_OAI_DIR, else from a checkout of
 * twilio/twilio-oai's spec/json beside the repository (`../shared/twilio-oai`, as the team's
 * machines and CI have it), else from the older copy shipped in the @twilio-alpha/mcp package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type SpecName = 'conversations_v1' | 'flex_v1' | 'taskrouter_v1' | 'studio_v2' | 'content_v1';

/** The stand-in's path prefix (the first label of Twilio's host) of each spec. */
export const PRODUCT: Record<SpecName, string> = {
  conversations_v1: 'conversations',
  flex_v1: 'flex-api',
  taskrouter_v1: 'taskrouter',
  studio_v2: 'studio',
  content_v1: 'content',
};

export interface Schema {
  [key: string]: unknown;
}
export interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}
export interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, Schema>; required?: string[] } }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
export interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const require = createRequire(import.meta.url);
const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const besideRepository = path.resolve(repositoryRoot, '../shared/twilio-oai');
const packaged = path.join(path.dirname(require.resolve('@twilio-alpha/mcp/package.json')), 'twilio-oai', 'spec', 'json');

/** The folder the specs are read from. */
export const SPEC_DIR = process.env.TWILIO_OAI_DIR ?? (existsSync(path.join(besideRepository, 'twilio_flex_v1.json')) ? besideRepository : packaged);
const specs = new Map<SpecName, Spec>();

export function spec(name: SpecName): Spec {
  let loaded = specs.get(name);
  if (!loaded) {
    loaded = JSON.parse(readFileSync(path.join(SPEC_DIR, `twilio_${name}.json`), 'utf8')) as Spec;
    specs.set(name, loaded);
  }
  return loaded;
}

export function findOperation(name: SpecName, operationId: string): { path: string; method: string; op: Operation } {
  for (const [p, item] of Object.entries(spec(name).paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (op && typeof op === 'object' && (op as Operation).operationId === operationId) return { path: p, method, op: op as Operation };
    }
  }
  throw new Error(`operation ${operationId} not in ${name}`);
}

/** The operation a request names: its method and a concrete path such as /v1/Conversations/CH.../Messages. */
export function operationFor(name: SpecName, method: string, concretePath: string): { path: string; op: Operation } | undefined {
  for (const [template, item] of Object.entries(spec(name).paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    const op = item[method.toLowerCase()];
    if (op && typeof op === 'object' && pattern.test(concretePath)) return { path: template, op };
  }
  return undefined;
}

export function deref(name: SpecName, schema: Schema | undefined): Schema {
  let resolved = schema ?? {};
  while (typeof resolved.$ref === 'string') resolved = spec(name).components.schemas[(resolved.$ref as string).split('/').pop()!] ?? {};
  return resolved;
}
