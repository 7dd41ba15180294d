import type { Homes } from './homes.js';
import type { RedisClient } from './redis-connection.js';
import { setBounded } from '../../shared/bounded-map.js';

/** The bound only caps memory: a conversation missing here costs one GET. */
const CACHED_CONVERSATIONS = 10_000;

/**
 * The conversation → session pointers (outside the homes, with several homes), as this
 * instance wrote or read them: a conversation belongs to one session for its whole life, so
 * what was seen once holds, and a webhook finds its session with one GET (the session's)
 * instead of two. A session gone since (closed past its retention, erased) is then found
 * as none, as through the pointer.
 */
export class ConversationTargets {
  private readonly known = new Map<string, string>();

  constructor(
    private readonly redis: RedisClient,
    private readonly homes: Homes,
  ) {}

  async find(conversationSid: string): Promise<string | undefined> {
    const cached = this.known.get(conversationSid);
    if (cached !== undefined) return cached;
    const stored = await this.redis.get(this.homes.conversationPointer(conversationSid));
    if (stored === null) return undefined;
    this.cache(conversationSid, stored);
    return stored;
  }

  async record(conversationSid: string, target: string): Promise<void> {
    await this.redis.set(this.homes.conversationPointer(conversationSid), target);
    this.cache(conversationSid, target);
  }

  forget(conversationSid: string): void {
    this.known.delete(conversationSid);
  }

  private cache(conversationSid: string, target: string): void {
    setBounded(this.known, conversationSid, target, CACHED_CONVERSATIONS);
  }
}
