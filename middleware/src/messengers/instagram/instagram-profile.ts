import type { ChannelRuntime } from '../../config/channels.js';
import { graphApiFor } from './graph-api.js';

/** The customer's name (else username) from the User Profile API, by the Instagram-scoped id. */
export async function instagramProfileName(channel: ChannelRuntime, userId: string): Promise<string | undefined> {
  const answer = await graphApiFor(channel, 1500)<{ name?: unknown; username?: unknown }>('GET', `/${encodeURIComponent(userId)}?fields=name,username`);
  if (!answer.ok) return undefined;
  const { name, username } = answer.result;
  if (typeof name === 'string' && name.trim()) return name;
  return typeof username === 'string' && username ? `@${username}` : undefined;
}
