import { randomBytes } from 'node:crypto';
import { isClusterUrl } from '../store/redis/cluster-url.js';
import { closeRedis, connectRedis, scanKeys } from '../store/redis/redis-connection.js';
import type { VisitorEvent } from './protocol.js';
import type { LoggedEvent } from './visitor-connections.js';
import type { WebchatLog } from './webchat-log.js';

/**
 * The web chat transcript in Redis, shared by every middleware instance, with the fan-out
 * to sockets built in: each append PUBLISHes the event in the same Lua script that numbers
 * it, so every instance hears every visitor's events in `seq` order, whichever instance
 * logged them, and pushes them to the sockets it holds.
 *
 * Keys, under a prefix P (the store's), per channel C and visitor V:
 *   P:webchat:epoch            the log's id
 *   P:webchat:C:V:events       sorted set, score = seq, member = {"seq","at","key","event"} JSON
 *   P:webchat:C:V:keys         hash: event key -> seq, and "#seq" -> the last seq
 *   P:webchat:events           the pub/sub channel: {"c","v","e"} with e a member as above
 * On a Redis Cluster a visitor's two keys share the hash tag {C:V} (P:webchat:{C:V}:events),
 * so each script runs on one slot; a cluster carries PUBLISH to the subscribers of every node.
 */

/** KEYS[1] events, KEYS[2] keys; ARGV: pub/sub channel, channel type, visitor, event key, event JSON, now. */
const APPEND = `
local events, keys = KEYS[1], KEYS[2]
local channel, ch, visitor, key, event, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local created = 1
local member
local seq = redis.call('HGET', keys, key)
if seq then
  member = redis.call('ZRANGEBYSCORE', events, seq, seq)[1]
end
if member then
  created = 0
else
  seq = redis.call('HINCRBY', keys, '#seq', 1)
  member = '{"seq":' .. seq .. ',"at":' .. now .. ',"key":' .. cjson.encode(key) .. ',"event":' .. event .. '}'
  redis.call('ZADD', events, seq, member)
  redis.call('HSET', keys, key, seq)
end
redis.call('PUBLISH', channel, '{"c":' .. cjson.encode(ch) .. ',"v":' .. cjson.encode(visitor) .. ',"e":' .. member .. '}')
return { created, member }`;

/** KEYS[1] events, KEYS[2] keys; ARGV: before. Removes events logged before; "#seq" stays, so numbering carries on. */
const PRUNE = `
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
local removed = 0
for _, member in ipairs(members) do
  local entry = cjson.decode(member)
  if tonumber(entry.at) < tonumber(ARGV[1]) then
    redis.call('ZREM', KEYS[1], member)
    redis.call('HDEL', KEYS[2], entry.key)
    removed = removed + 1
  end
end
return removed`;

/** KEYS[1] events, KEYS[2] keys. Removes one visitor's events, keeps their "#seq"; returns how many. */
const FORGET = `
local removed = redis.call('ZCARD', KEYS[1])
local seq = redis.call('HGET', KEYS[2], '#seq')
redis.call('DEL', KEYS[1], KEYS[2])
if seq then redis.call('HSET', KEYS[2], '#seq', seq) end
return removed`;

interface Member {
  seq: number;
  at: number;
  key: string;
  event: VisitorEvent;
}

export interface RedisWebchatLogOptions {
  url: string;
  keyPrefix?: string;
  now?: () => number;
  /** Every event appended by any instance, in each visitor's `seq` order. */
  onEvent?: (channelType: string, visitorId: string, entry: LoggedEvent) => void;
  /**
   * The subscription was re-established after a drop: events published meanwhile were
   * missed, so the sockets must catch up from the log.
   */
  onResubscribed?: () => void;
  onError?: (error: Error) => void;
}

export const DEFAULT_KEY_PREFIX = 'custom-channels';
/** Members fetched at once by a paged read. */
const READ_BATCH = 8;

export async function openRedisWebchatLog(options: RedisWebchatLogOptions): Promise<WebchatLog> {
  const now = options.now ?? Date.now;
  const prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const channelName = `${prefix}:webchat:events`;
  const redis = connectRedis(options.url, { maxRetriesPerRequest: 3, enableAutoPipelining: true });
  const subscriber = connectRedis(options.url, { maxRetriesPerRequest: null });
  for (const client of [redis, subscriber]) client.on('error', (error: Error) => options.onError?.(error));
  redis.defineCommand('webchatAppend', { numberOfKeys: 2, lua: APPEND });
  redis.defineCommand('webchatPrune', { numberOfKeys: 2, lua: PRUNE });
  redis.defineCommand('webchatForget', { numberOfKeys: 2, lua: FORGET });
  const commands = redis as unknown as {
    webchatAppend(events: string, keys: string, ...args: Array<string | number>): Promise<[number, string]>;
    webchatPrune(events: string, keys: string, before: number): Promise<number>;
    webchatForget(events: string, keys: string): Promise<number>;
  };

  subscriber.on('message', (channel: string, message: string) => {
    if (channel !== channelName || !options.onEvent) return;
    const { c, v, e } = JSON.parse(message) as { c: string; v: string; e: Member };
    options.onEvent(c, v, { seq: e.seq, event: e.event });
  });
  let readyOnce = false;
  subscriber.on('ready', () => {
    if (!readyOnce) {
      readyOnce = true;
      return;
    }
    // ioredis subscribes again by itself; once that is confirmed, catch up on what was missed.
    subscriber
      .subscribe(channelName)
      .then(() => options.onResubscribed?.())
      .catch((error: Error) => options.onError?.(error));
  });

  const cluster = isClusterUrl(options.url);
  const base = (channelType: string, visitorId: string) =>
    cluster ? `${prefix}:webchat:{${channelType}:${visitorId}}` : `${prefix}:webchat:${channelType}:${visitorId}`;
  try {
    await subscriber.subscribe(channelName);
    await redis.set(`${prefix}:webchat:epoch`, randomBytes(9).toString('base64url'), 'NX');
  } catch (error) {
    await Promise.all([closeRedis(redis), closeRedis(subscriber)]);
    throw error;
  }
  const epoch = (await redis.get(`${prefix}:webchat:epoch`))!;

  let closed = false;
  const open = () => {
    if (closed) throw new Error('the web chat log is closed');
  };
  return {
    epoch,
    fansOut: true,
    async append(channelType, visitorId, key, event) {
      open();
      const visitor = base(channelType, visitorId);
      const [created, raw] = await commands.webchatAppend(
        `${visitor}:events`,
        `${visitor}:keys`,
        channelName,
        channelType,
        visitorId,
        key,
        JSON.stringify(event),
        now(),
      );
      const member = JSON.parse(raw) as Member;
      return { seq: member.seq, event: member.event, created: created === 1 };
    },
    async read(channelType, visitorId, afterSeq, limit) {
      open();
      const raw = await redis.zrevrangebyscore(`${base(channelType, visitorId)}:events`, '+inf', `(${afterSeq}`, 'LIMIT', 0, limit);
      return raw.reverse().map((member) => {
        const entry = JSON.parse(member) as Member;
        return { seq: entry.seq, event: entry.event };
      });
    },
    async readPage(channelType, visitorId, afterSeq, page) {
      open();
      const events = `${base(channelType, visitorId)}:events`;
      const entries: LoggedEvent[] = [];
      let bytes = 0;
      // In small batches: the members past the byte budget stay in Redis.
      while (entries.length < page.limit && bytes < page.maxBytes) {
        const after = entries.at(-1)?.seq ?? afterSeq;
        const batch = await redis.zrangebyscore(events, `(${after}`, '+inf', 'LIMIT', 0, Math.min(READ_BATCH, page.limit - entries.length));
        for (const member of batch) {
          const entry = JSON.parse(member) as Member;
          entries.push({ seq: entry.seq, event: entry.event });
          bytes += member.length;
          if (bytes >= page.maxBytes) break;
        }
        if (batch.length < READ_BATCH) break;
      }
      return entries;
    },
    async has(channelType, visitorId, key) {
      open();
      return (await redis.hexists(`${base(channelType, visitorId)}:keys`, key)) === 1;
    },
    async lastSeq(channelType, visitorId) {
      open();
      return Number((await redis.hget(`${base(channelType, visitorId)}:keys`, '#seq')) ?? 0);
    },
    async prune(before) {
      open();
      let removed = 0;
      for await (const keys of scanKeys(redis, `${prefix}:webchat:*:events`)) {
        for (const events of keys) {
          removed += await commands.webchatPrune(events, `${events.slice(0, -':events'.length)}:keys`, before);
        }
      }
      return removed;
    },
    async forget(channelType, visitorId) {
      open();
      return commands.webchatForget(`${base(channelType, visitorId)}:events`, `${base(channelType, visitorId)}:keys`);
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([closeRedis(redis), closeRedis(subscriber)]);
    },
  };
}
