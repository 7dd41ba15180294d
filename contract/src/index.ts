export * from './types';
export * from './task-attributes';
export * from './environment';
export { mergeChannelOverrides } from './overrides';
export type { MergeResult } from './overrides';
export { validateChannelsConfig, validateChannelDefinition } from './validation/validate';
export type { Validation } from './validation/validate';
export { FLEX_MEDIA_MAX_BYTES, mediaPolicyOf, acceptsType, essenceOf } from './media';
export type { MediaPolicy } from './media';
