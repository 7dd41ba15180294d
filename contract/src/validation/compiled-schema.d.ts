// Written at build time by scripts/compile-schema.js from the repository's channels.schema.json.
import type { SchemaError } from './schema-error';

interface CompiledValidator {
  (value: unknown): boolean;
  errors?: SchemaError[] | null;
}

export declare const validateChannelsFile: CompiledValidator;
export declare const validateChannel: CompiledValidator;
