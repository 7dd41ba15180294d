import type { StoredUpload, UploadAdmission, UploadQuotaLimit, UploadRecords } from '../uploads.js';
import type { RedisClient } from './redis-connection.js';

/**
 * Key layout, under U = `<prefix>:{uploads}` (one hash tag: a cluster runs each script on one slot;
 * uploads are few, so they need no spreading):
 *   U:item:<id>                  hash: channelType, customerId, size, at, serviceSid, mediaSid, usedAt
 *   U:unused                     sorted set of unattached ids, scored by when admitted
 *   U:unused:bytes               their bytes
 *   U:used                       sorted set of used ids, scored by when used
 *   U:visitor:<channel>:<id>     sorted set of the visitor's ids, scored by when admitted
 */
const FORGET = `
local function forget(base, id)
  local item = base .. ':item:' .. id
  local fields = redis.call('HMGET', item, 'channelType', 'customerId', 'size', 'usedAt')
  if not fields[1] then return 0 end
  if redis.call('ZREM', base .. ':unused', id) == 1 then redis.call('DECRBY', base .. ':unused:bytes', fields[3]) end
  redis.call('ZREM', base .. ':used', id)
  if fields[2] ~= '' then redis.call('ZREM', base .. ':visitor:' .. fields[1] .. ':' .. fields[2], id) end
  redis.call('DEL', item)
  return 1
end
`;

const SCRIPTS = {
  uploadAdmit: `
local base, id, ch, customer = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
local size, now, window = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[8])
local visitor = base .. ':visitor:' .. ch .. ':' .. customer
local recent = redis.call('ZRANGEBYSCORE', visitor, '(' .. (now - window), '+inf', 'WITHSCORES')
local count, bytes, oldest = 0, 0, now
for i = 1, #recent, 2 do
  local itemSize = redis.call('HGET', base .. ':item:' .. recent[i], 'size')
  if itemSize then
    if count == 0 then oldest = tonumber(recent[i + 1]) end
    count = count + 1
    bytes = bytes + tonumber(itemSize)
  end
end
local retry = math.max(1, oldest + window - now)
if count + 1 > tonumber(ARGV[6]) then return { 'visitor-uploads', retry } end
if bytes + size > tonumber(ARGV[7]) then return { 'visitor-bytes', retry } end
if redis.call('ZCARD', base .. ':unused') + 1 > tonumber(ARGV[9]) then return { 'pending-uploads' } end
if tonumber(redis.call('GET', base .. ':unused:bytes') or '0') + size > tonumber(ARGV[10]) then return { 'pending-bytes' } end
redis.call('HSET', base .. ':item:' .. id, 'channelType', ch, 'customerId', customer, 'size', size, 'at', now)
redis.call('ZADD', base .. ':unused', now, id)
redis.call('INCRBY', base .. ':unused:bytes', size)
redis.call('ZADD', visitor, now, id)
return { 'admitted' }
`,
  uploadMedia: `
local item = KEYS[1] .. ':item:' .. ARGV[1]
if redis.call('EXISTS', item) == 1 then redis.call('HSET', item, 'serviceSid', ARGV[2], 'mediaSid', ARGV[3]) end
`,
  uploadsUsed: `
local base, now = KEYS[1], tonumber(ARGV[3])
local wanted = {}
for i = 4, #ARGV do wanted[ARGV[i]] = true end
local found = 0
for _, id in ipairs(redis.call('ZRANGE', base .. ':visitor:' .. ARGV[1] .. ':' .. ARGV[2], 0, -1)) do
  local item = base .. ':item:' .. id
  local fields = redis.call('HMGET', item, 'mediaSid', 'usedAt', 'size')
  if fields[1] and wanted[fields[1]] then
    wanted[fields[1]] = nil
    found = found + 1
    if not fields[2] then
      redis.call('HSET', item, 'usedAt', now)
      if redis.call('ZREM', base .. ':unused', id) == 1 then redis.call('DECRBY', base .. ':unused:bytes', fields[3]) end
      redis.call('ZADD', base .. ':used', now, id)
    end
  end
end
return found
`,
  uploadsRelease: `
local base = KEYS[1]
local visitor = base .. ':visitor:' .. ARGV[1] .. ':' .. ARGV[2]
local ids = redis.call('ZRANGE', visitor, 0, -1)
local released = 0
for _, id in ipairs(ids) do
  local item = base .. ':item:' .. id
  local fields = redis.call('HMGET', item, 'size', 'usedAt')
  if fields[1] then
    if fields[2] then
      redis.call('ZREM', base .. ':used', id)
      redis.call('INCRBY', base .. ':unused:bytes', fields[1])
    end
    redis.call('HSET', item, 'customerId', '', 'at', 0)
    redis.call('HDEL', item, 'usedAt')
    redis.call('ZADD', base .. ':unused', 0, id)
    released = released + 1
  end
end
redis.call('DEL', visitor)
return released
`,
  uploadsDelete: `${FORGET}
for i = 1, #ARGV do forget(KEYS[1], ARGV[i]) end
`,
  uploadsPruneUsed: `${FORGET}
local pruned = 0
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1] .. ':used', '-inf', '(' .. ARGV[1])) do pruned = pruned + forget(KEYS[1], id) end
return pruned
`,
} as const;

type Command = (...args: Array<string | number>) => Promise<unknown>;

/** The uploads' records in Redis, shared by every instance, so the quotas are global. */
export function redisUploadRecords(redis: RedisClient, prefix: string, now: () => number): UploadRecords {
  for (const [name, lua] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys: 1, lua });
  const commands = redis as unknown as Record<keyof typeof SCRIPTS, Command>;
  const base = `${prefix}:{uploads}`;
  const read = async (ids: string[]): Promise<StoredUpload[]> => {
    const items = await Promise.all(ids.map((id) => redis.hgetall(`${base}:item:${id}`)));
    return items.flatMap((item, index) => (item.channelType !== undefined ? [toUpload(ids[index]!, item)] : []));
  };

  return {
    async admitUpload(upload, quota) {
      const [verdict, retryAfterMs] = (await commands.uploadAdmit(
        base,
        upload.id,
        upload.channelType,
        upload.customerId,
        upload.size,
        now(),
        quota.visitorUploads,
        quota.visitorBytes,
        quota.windowMs,
        quota.pendingUploads,
        quota.pendingBytes,
      )) as [string, number?];
      if (verdict === 'admitted') return { admitted: true };
      const refusal: UploadAdmission = { admitted: false, limit: verdict as UploadQuotaLimit };
      return retryAfterMs === undefined ? refusal : { ...refusal, retryAfterMs: Number(retryAfterMs) };
    },
    async recordUploadMedia(id, serviceSid, mediaSid) {
      await commands.uploadMedia(base, id, serviceSid, mediaSid);
    },
    async markUploadsUsed(channelType, customerId, mediaSids) {
      return mediaSids.length > 0 ? Number(await commands.uploadsUsed(base, channelType, customerId, now(), ...mediaSids)) : 0;
    },
    async listUnusedUploads(uploadedBefore, limit) {
      return read(await redis.zrangebyscore(`${base}:unused`, '-inf', `(${uploadedBefore}`, 'LIMIT', 0, limit));
    },
    async listCustomerUploads(channelType, customerId) {
      return read(await redis.zrange(`${base}:visitor:${channelType}:${customerId}`, 0, -1));
    },
    async releaseCustomerUploads(channelType, customerId) {
      return Number(await commands.uploadsRelease(base, channelType, customerId));
    },
    async deleteUploads(ids) {
      if (ids.length > 0) await commands.uploadsDelete(base, ...ids);
    },
    async pruneUsedUploads(usedBefore) {
      return Number(await commands.uploadsPruneUsed(base, usedBefore));
    },
  };
}

function toUpload(id: string, item: Record<string, string>): StoredUpload {
  return {
    id,
    channelType: item.channelType!,
    customerId: item.customerId ?? '',
    size: Number(item.size),
    uploadedAt: Number(item.at),
    ...(item.serviceSid && item.mediaSid ? { serviceSid: item.serviceSid, mediaSid: item.mediaSid } : {}),
    ...(item.usedAt ? { usedAt: Number(item.usedAt) } : {}),
  };
}
