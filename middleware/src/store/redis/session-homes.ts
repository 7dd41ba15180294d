import type { Homes } from './homes.js';
import type { RedisClient } from './redis-connection.js';
import { setBounded } from '../../shared/bounded-map.js';

/** A session never changes home, so what was read once holds; the bound only caps memory. */
const CACHED_SESSIONS = 10_000;

/**
 * Finds a session's home from its id alone (the store's by-id methods, to-channel entries
 * ordered by session). With one home there is nothing to find; with several, a pointer
 * outside the homes names it, written just after the session (until then, and should a
 * crash come between, whoever reads the session through its customer learns its home).
 */
export class SessionHomes {
  private readonly known = new Map<string, number>();

  constructor(
    private readonly redis: RedisClient,
    private readonly homes: Homes,
  ) {}

  async find(sessionId: string): Promise<number | undefined> {
    if (this.homes.count === 1) return 0;
    const cached = this.known.get(sessionId);
    if (cached !== undefined) return cached;
    const stored = await this.redis.get(this.homes.sessionHomePointer(sessionId));
    if (stored === null) return undefined;
    this.cache(sessionId, Number(stored));
    return Number(stored);
  }

  async record(sessionId: string, home: number): Promise<void> {
    if (this.homes.count > 1) await this.redis.set(this.homes.sessionHomePointer(sessionId), home);
    this.cache(sessionId, home);
  }

  /** A session read from its home: its home is known without asking. */
  cache(sessionId: string, home: number): void {
    if (this.homes.count === 1) return;
    setBounded(this.known, sessionId, home, CACHED_SESSIONS);
  }

  async expire(sessionId: string, ttlMs: number): Promise<void> {
    if (this.homes.count > 1) await this.redis.pexpire(this.homes.sessionHomePointer(sessionId), ttlMs);
  }

  async forget(sessionIds: string[]): Promise<void> {
    for (const id of sessionIds) this.known.delete(id);
    if (this.homes.count > 1 && sessionIds.length > 0) await Promise.all(sessionIds.map((id) => this.redis.del(this.homes.sessionHomePointer(id))));
  }
}
