import { createHash } from 'node:crypto';
import { customerOrderingKey } from '../store.js';

/**
 * Where the Redis store keeps things. Every customer has a home, one of `count`, and all of
 * a customer's state lives there: sessions, the creation lock, both outbox queues of their
 * ordering keys, dedupe keys. A home's keys share one hash tag, so each script runs on one
 * slot of a Redis Cluster, and different homes spread over its nodes. Only pointers that are
 * looked up without knowing the customer (by conversation, by session id) live outside.
 *
 * One home is enough for a single Redis, and then keys keep the names they had before there
 * were homes (no hash tag), so existing data stays readable; a cluster gets several homes so
 * that customers spread. The count is part of the data layout: a deployment keeps it.
 */
export const SINGLE_NODE_HOMES = 1;
export const CLUSTER_HOMES = 16;

export class Homes {
  private readonly tagged: boolean;

  constructor(
    private readonly prefix: string,
    readonly count: number,
    options: { cluster: boolean },
  ) {
    this.tagged = options.cluster || count > 1;
  }

  all(): number[] {
    return Array.from({ length: this.count }, (_unused, home) => home);
  }

  /** The key prefix of one home; `{...}` is the hash tag every key of the home shares. */
  base(home: number): string {
    return this.tagged ? `${this.prefix}:{h${home}}` : this.prefix;
  }

  /** A SCAN pattern for every session key of every home. */
  sessionKeys(): string {
    return this.tagged ? `${this.prefix}:{h*}:session:*` : `${this.prefix}:session:*`;
  }

  /** A SCAN pattern for every customer's set of sessions on one channel (its type has no glob characters), in every home. */
  customerIndexKeys(channelType: string): string {
    return `${this.tagged ? `${this.prefix}:{h*}` : this.prefix}:customer:${channelType}:*`;
  }

  /** The customer a key matched by `customerIndexKeys(channelType)` names. */
  customerOfIndexKey(key: string, channelType: string): string | undefined {
    const marker = `:customer:${channelType}:`;
    const at = key.indexOf(marker, this.prefix.length);
    return at === -1 ? undefined : key.slice(at + marker.length);
  }

  /** The home and session id a key matched by `sessionKeys()` names. */
  sessionOfKey(key: string): { home: number; id: string } | undefined {
    const rest = key.slice(this.prefix.length);
    if (!this.tagged) return rest.startsWith(':session:') ? { home: 0, id: rest.slice(':session:'.length) } : undefined;
    const match = /^:\{h(\d+)\}:session:(.*)$/.exec(rest);
    return match ? { home: Number(match[1]), id: match[2]! } : undefined;
  }

  /**
   * Lets scripts number outbox entries so that `ofEntry` finds the home again: id = seq *
   * count + home, `seq` from the shared sequence (several homes) or the home's own (none given).
   */
  idSpread(home: number, seq?: number): string {
    return `${this.count}:${home}:${seq ?? ''}`;
  }

  /** Outside every home: the outbox sequence several homes share (taken in blocks, see sequence-blocks.ts), so ids are unique across homes. */
  sequence(): string {
    return `${this.prefix}:outbox:seq`;
  }

  ofEntry(id: number): number {
    return id % this.count;
  }

  /** A customer's home is the home of their to-flex ordering key. */
  ofCustomer(channelType: string, customerId: string): number {
    return this.ofKey(customerOrderingKey(channelType, customerId));
  }

  ofKey(key: string): number {
    if (this.count === 1) return 0;
    return createHash('sha1').update(key).digest().readUInt32BE(0) % this.count;
  }

  /** Outside every home: the session a conversation belongs to (`conversationTarget`). */
  conversationPointer(conversationSid: string): string {
    return this.tagged ? `${this.prefix}:conversation:{${conversationSid}}` : `${this.prefix}:conversation:${conversationSid}`;
  }

  /** What a conversation pointer holds: `<home>/<session id>`, or the id alone with one home. */
  conversationTarget(home: number, sessionId: string): string {
    return this.count === 1 ? sessionId : `${home}/${sessionId}`;
  }

  parseConversationTarget(target: string): { home: number; sessionId: string } {
    if (this.count === 1) return { home: 0, sessionId: target };
    const slash = target.indexOf('/');
    return { home: Number(target.slice(0, slash)), sessionId: target.slice(slash + 1) };
  }

  /** Outside every home: the home of a session, found by its id alone (only with several homes). */
  sessionHomePointer(sessionId: string): string {
    return `${this.prefix}:session-home:{${sessionId}}`;
  }
}

/**
 * Claims from several homes at once without taking more than `limit`: each round splits
 * what is still wanted over the homes that may still have due entries, one round trip per
 * round; a home that hands out less than its share is done. The starting home rotates, so
 * a small limit does not always favour the same homes. `unfinished` is told the homes that
 * may still have due entries when the limit is reached.
 */
export async function claimAcross<T>(
  homes: number[],
  start: number,
  limit: number,
  claim: (home: number, limit: number) => Promise<T[]>,
  unfinished?: (homes: number[]) => void,
): Promise<T[]> {
  const claimed: T[] = [];
  let candidates = [...homes.slice(start % homes.length), ...homes.slice(0, start % homes.length)];
  while (claimed.length < limit && candidates.length > 0) {
    const wanted = limit - claimed.length;
    const asked = candidates.slice(0, Math.min(wanted, candidates.length));
    const shares = asked.map((_home, index) => Math.floor(wanted / asked.length) + (index < wanted % asked.length ? 1 : 0));
    const results = await Promise.all(asked.map((home, index) => claim(home, shares[index]!)));
    const stillFull = asked.filter((_home, index) => results[index]!.length === shares[index]);
    candidates = [...stillFull, ...candidates.slice(asked.length)];
    for (const result of results) claimed.push(...result);
  }
  if (candidates.length > 0) unfinished?.(candidates);
  return claimed;
}
