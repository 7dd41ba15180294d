// Written at build time by scripts/compile-schema.js from the repository's channels.schema.json.
import type { Channel, CustomChatChannelsForTwilioFlex } from '../generated/channels';
import type { SchemaError } from './schema-error';

/** The schema's own check, so a value it passes has the type generated from the same schema. */
interface CompiledValidator<T> {
  (value: unknown): value is T;
  errors?: SchemaError[] | null;
}

export declare const validateChannelsFile: CompiledValidator<CustomChatChannelsForTwilioFlex>;
export declare const validateChannel: CompiledValidator<Channel>;
