import type { ChannelDefinition } from './types';

/** Flex's limit for one chat attachment, in bytes (16 MiB). */
export const FLEX_MEDIA_MAX_BYTES = 16_777_216;

/** A channel's attachment rules with defaults applied; undefined for a text-only channel. */
export interface MediaPolicy {
  accept: string[];
  maxBytes: number;
}

export function mediaPolicyOf(channel: Pick<ChannelDefinition, 'media'>): MediaPolicy | undefined {
  if (!channel.media) return undefined;
  return { accept: channel.media.accept, maxBytes: Math.min(channel.media.maxBytes ?? FLEX_MEDIA_MAX_BYTES, FLEX_MEDIA_MAX_BYTES) };
}

/** The bare, lower-case media type of a Content-Type value ("Image/PNG; x=y" gives "image/png"). */
export function essenceOf(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}

/** Whether a Content-Type is one the policy accepts: an exact entry or a "family/*" entry. */
export function acceptsType(policy: Pick<MediaPolicy, 'accept'>, contentType: string): boolean {
  const type = essenceOf(contentType);
  if (!/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(type)) return false;
  const family = type.slice(0, type.indexOf('/'));
  return policy.accept.some((entry) => entry === type || entry === `${family}/*`);
}
