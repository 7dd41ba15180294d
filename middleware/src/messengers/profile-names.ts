import type { ChannelRuntime } from '../config/channels.js';
import { setBounded } from '../shared/bounded-map.js';

/** A user's display name from the platform's profile API; undefined when it has none. */
export type FetchProfileName = (channel: ChannelRuntime, userId: string) => Promise<string | undefined>;

export interface ProfileNamesOptions {
  /** A webhook must be answered promptly: a slower profile lookup gives up, and the message goes without the name. */
  timeoutMs?: number;
  maxEntries?: number;
  ttlMs?: number;
  /** How long a failed lookup is remembered before the next message tries again. */
  failureTtlMs?: number;
  now?: () => number;
}

/**
 * Messenger users' display names from the platform's profile API, kept for a day so that a
 * conversation costs one lookup. A failed lookup (a user the account may not look up, the
 * platform slow or down) is remembered for a few minutes, so that it does not slow every message down.
 */
export function createProfileNames(fetchName: FetchProfileName, options: ProfileNamesOptions = {}) {
  const { timeoutMs = 1500, maxEntries = 10_000, ttlMs = 24 * 60 * 60 * 1000, failureTtlMs = 5 * 60 * 1000, now = Date.now } = options;
  const names = new Map<string, { name: string | undefined; until: number }>();

  const lookup = async (channel: ChannelRuntime, userId: string): Promise<string | undefined> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      return (await Promise.race([fetchName(channel, userId), timeout])) || undefined;
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  };

  return async (channel: ChannelRuntime, userId: string): Promise<string | undefined> => {
    const key = `${channel.channelType}:${userId}`;
    const cached = names.get(key);
    if (cached && cached.until > now()) return cached.name;
    const name = await lookup(channel, userId);
    names.delete(key);
    setBounded(names, key, { name, until: now() + (name === undefined ? failureTtlMs : ttlMs) }, maxEntries);
    return name;
  };
}

export type ProfileNames = ReturnType<typeof createProfileNames>;
