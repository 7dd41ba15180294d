import { randomBytes } from 'node:crypto';
import type { VisitorEvent } from '../../webchat/protocol.js';
import type { RedisLocation } from '../database-url.js';
import type { TranscriptEntry, TranscriptListener, Transcripts } from '../transcripts.js';
import { closeRedis, connectRedis, scanKeys, type RedisClient } from './redis-connection.js';

/**
 * The web chat transcripts in Redis, shared by every middleware instance, with the fan-out
 * to sockets built in: each append PUBLISHes the event in the same Lua script that numbers
 * it, so every instance hears every visitor's events in `seq` order, whichever instance
 * logged them, and pushes them to the sockets it holds.
 *
 * Keys, under a prefix P (the store's), per channel C and visitor V:
 *   P:webchat:epoch            the transcripts' id
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

export interface RedisTranscriptsOptions {
  /** The store's connection. */
  redis: RedisClient;
  location: RedisLocation;
  prefix: string;
  now: () => number;
  onError?: (error: Error) => void;
}

/** Members fetched at once by a paged read. */
const READ_BATCH = 8;

/** The transcripts on the store's connection; the subscription, when asked for, gets one of its own (closed by `close`). */
export function redisTranscripts(options: RedisTranscriptsOptions): { transcripts: Transcripts; close(): Promise<void> } {
  const { redis, prefix, now } = options;
  const channelName = `${prefix}:webchat:events`;
  redis.defineCommand('webchatAppend', { numberOfKeys: 2, lua: APPEND });
  redis.defineCommand('webchatPrune', { numberOfKeys: 2, lua: PRUNE });
  redis.defineCommand('webchatForget', { numberOfKeys: 2, lua: FORGET });
  const commands = redis as unknown as {
    webchatAppend(events: string, keys: string, ...args: Array<string | number>): Promise<[number, string]>;
    webchatPrune(events: string, keys: string, before: number): Promise<number>;
    webchatForget(events: string, keys: string): Promise<number>;
  };
  const cluster = options.location.engine === 'redis-cluster';
  const base = (channelType: string, visitorId: string) =>
    cluster ? `${prefix}:webchat:{${channelType}:${visitorId}}` : `${prefix}:webchat:${channelType}:${visitorId}`;
  const epochKey = `${prefix}:webchat:epoch`;
  let epoch: Promise<string> | undefined;
  let subscriber: RedisClient | undefined;

  const subscribe = async (listener: TranscriptListener) => {
    if (subscriber) throw new Error('the transcripts have a subscriber already');
    const connection = connectRedis(options.location, { maxRetriesPerRequest: null });
    subscriber = connection;
    connection.on('error', (error: Error) => options.onError?.(error));
    connection.on('message', (channel: string, message: string) => {
      if (channel !== channelName) return;
      const { c, v, e } = JSON.parse(message) as { c: string; v: string; e: Member };
      listener.onEvent(c, v, { seq: e.seq, event: e.event });
    });
    let readyOnce = false;
    connection.on('ready', () => {
      if (!readyOnce) {
        readyOnce = true;
        return;
      }
      // ioredis subscribes again by itself; once that is confirmed, catch up on what was missed.
      connection
        .subscribe(channelName)
        .then(() => listener.onResubscribed())
        .catch((error: Error) => options.onError?.(error));
    });
    await connection.subscribe(channelName);
  };

  const transcripts: Transcripts = {
    epoch() {
      epoch ??= redis
        .set(epochKey, randomBytes(9).toString('base64url'), 'NX')
        .then(() => redis.get(epochKey))
        .then((value) => value!);
      epoch.catch(() => (epoch = undefined));
      return epoch;
    },
    subscribe,
    async append(channelType, visitorId, key, event) {
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
      const raw = await redis.zrevrangebyscore(`${base(channelType, visitorId)}:events`, '+inf', `(${afterSeq}`, 'LIMIT', 0, limit);
      return raw.reverse().map((member) => {
        const entry = JSON.parse(member) as Member;
        return { seq: entry.seq, event: entry.event };
      });
    },
    async readPage(channelType, visitorId, afterSeq, page) {
      const events = `${base(channelType, visitorId)}:events`;
      const entries: TranscriptEntry[] = [];
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
      return (await redis.hexists(`${base(channelType, visitorId)}:keys`, key)) === 1;
    },
    async lastSeq(channelType, visitorId) {
      return Number((await redis.hget(`${base(channelType, visitorId)}:keys`, '#seq')) ?? 0);
    },
    async prune(before) {
      let removed = 0;
      for await (const keys of scanKeys(redis, `${prefix}:webchat:*:events`)) {
        for (const events of keys) {
          removed += await commands.webchatPrune(events, `${events.slice(0, -':events'.length)}:keys`, before);
        }
      }
      return removed;
    },
    async forget(channelType, visitorId) {
      return commands.webchatForget(`${base(channelType, visitorId)}:events`, `${base(channelType, visitorId)}:keys`);
    },
  };
  return {
    transcripts,
    close: async () => {
      if (subscriber) await closeRedis(subscriber);
    },
  };
}
