/**
 * The Lua scripts that make each multi-key change of the Redis store atomic, so that any
 * number of middleware instances sharing one Redis behave as one.
 *
 * Key layout, under a prefix P:
 *   P:session:<id>                 session JSON; expires the closed-session retention after closing
 *   P:active:<channel>:<customer>  id of the customer's creating/open session (the creation lock)
 *   P:customer:<channel>:<customer> set of the customer's session ids (erasure); expires with the last closed one
 *   P:conversation:<sid>           id of the latest session on that conversation; expires with it
 *   P:dedupe:<key>                 first-seen time, with a TTL
 *   P:dedupe-owner:<orderingKey>   set of the dedupe keys entries of that ordering key wrote (erasure), with a TTL
 *   P:outbox:seq                   last outbox id
 *   P:outbox:item:<id>             hash: queue, key, payload, attempts, createdAt, due, lease, state, error, failedAt
 *   P:outbox:<queue>:list:<key>    pending ids of one ordering key, oldest first
 *   P:outbox:<queue>:heads         sorted set of ordering keys, scored by when their head may run
 *   P:outbox:<queue>:pending       count of pending entries
 *   P:outbox:<queue>:failed        set of failed ids
 */

/** A shared function: queue an entry (KEYS: none; derived from ARGV). Inlined where needed. */
const ADD_ENTRY = `
local function add_entry(prefix, queue, okey, payload, now)
  local id = redis.call('INCR', prefix .. ':outbox:seq')
  redis.call('HSET', prefix .. ':outbox:item:' .. id,
    'queue', queue, 'key', okey, 'payload', payload, 'attempts', 0,
    'createdAt', now, 'due', now, 'lease', 0, 'state', 'pending')
  local list = prefix .. ':outbox:' .. queue .. ':list:' .. okey
  if redis.call('RPUSH', list, id) == 1 then
    redis.call('ZADD', prefix .. ':outbox:' .. queue .. ':heads', now, okey)
  end
  redis.call('INCR', prefix .. ':outbox:' .. queue .. ':pending')
  return id
end
`;

/** Re-scores an ordering key after its head changed: the new head's due time, or gone. */
const RESCORE_KEY = `
local function rescore(prefix, queue, okey)
  local list = prefix .. ':outbox:' .. queue .. ':list:' .. okey
  local heads = prefix .. ':outbox:' .. queue .. ':heads'
  local head = redis.call('LINDEX', list, 0)
  if not head then
    redis.call('ZREM', heads, okey)
    return
  end
  local item = prefix .. ':outbox:item:' .. head
  local due = tonumber(redis.call('HGET', item, 'due'))
  local lease = tonumber(redis.call('HGET', item, 'lease'))
  redis.call('ZADD', heads, math.max(due, lease), okey)
end
`;

/** Removes an entry from its ordering key's list (ARGV: prefix, id, newState, reason). */
const DETACH_ENTRY = `
local function detach(prefix, id)
  local item = prefix .. ':outbox:item:' .. id
  local queue = redis.call('HGET', item, 'queue')
  if not queue then return nil end
  local okey = redis.call('HGET', item, 'key')
  if redis.call('HGET', item, 'state') == 'pending' then
    redis.call('LREM', prefix .. ':outbox:' .. queue .. ':list:' .. okey, 1, id)
    redis.call('DECR', prefix .. ':outbox:' .. queue .. ':pending')
  end
  return { queue, okey }
end
`;

/** Reads a session (false when there is none) and deletes a pointer only while it still names that session. */
const SESSION_FUNCTIONS = `
local function load_session(prefix, id)
  local raw = redis.call('GET', prefix .. ':session:' .. id)
  return raw and cjson.decode(raw)
end
local function drop_pointer(key, id)
  if redis.call('GET', key) == id then redis.call('DEL', key) end
end
`;

/** The scripts by command name; none declares KEYS: each derives its keys from the prefix in ARGV[1]. */
export const SCRIPTS = {
  /**
   * ARGV: prefix, pointer (`active:<channel>:<customer>` or `conversation:<sid>`) → the
   * session JSON it points at, or nil: one round trip on the hot path instead of two.
   */
  sessionVia: `
local prefix = ARGV[1]
local id = redis.call('GET', prefix .. ':' .. ARGV[2])
if not id then return false end
return redis.call('GET', prefix .. ':session:' .. id)`,

  /** ARGV: prefix, queue, orderingKey, payload, now, ttlMs, dedupe keys... → 1 queued, 0 duplicate. */
  enqueue: `${ADD_ENTRY}
local prefix, queue, okey, payload = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now, ttl = tonumber(ARGV[5]), tonumber(ARGV[6])
local seen = false
local owned = prefix .. ':dedupe-owner:' .. okey
for i = 7, #ARGV do
  if redis.call('SET', prefix .. ':dedupe:' .. ARGV[i], now, 'NX', 'PX', ttl) then
    redis.call('SADD', owned, ARGV[i])
  else
    seen = true
  end
end
if #ARGV >= 7 then redis.call('PEXPIRE', owned, ttl) end
if seen then return 0 end
add_entry(prefix, queue, okey, payload, now)
return 1`,

  /** ARGV: prefix, queue, now, limit, leaseMs → flat list of id, key, payload, attempts, createdAt. */
  claimDue: `
local prefix, queue = ARGV[1], ARGV[2]
local now, limit, leaseMs = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local heads = prefix .. ':outbox:' .. queue .. ':heads'
local keys = redis.call('ZRANGEBYSCORE', heads, '-inf', now, 'LIMIT', 0, limit)
local out = {}
for _, okey in ipairs(keys) do
  local id = redis.call('LINDEX', prefix .. ':outbox:' .. queue .. ':list:' .. okey, 0)
  if id then
    local item = prefix .. ':outbox:item:' .. id
    local attempts = redis.call('HINCRBY', item, 'attempts', 1)
    redis.call('HSET', item, 'lease', now + leaseMs)
    redis.call('ZADD', heads, now + leaseMs, okey)
    local fields = redis.call('HMGET', item, 'payload', 'createdAt')
    table.insert(out, id)
    table.insert(out, okey)
    table.insert(out, fields[1])
    table.insert(out, attempts)
    table.insert(out, fields[2])
  else
    redis.call('ZREM', heads, okey)
  end
end
return out`,

  /** ARGV: prefix, id. */
  complete: `${RESCORE_KEY}${DETACH_ENTRY}
local prefix, id = ARGV[1], ARGV[2]
local where = detach(prefix, id)
redis.call('DEL', prefix .. ':outbox:item:' .. id)
if where then rescore(prefix, where[1], where[2]) end
return 1`,

  /** ARGV: prefix, id, notBefore, reason. */
  retryLater: `${RESCORE_KEY}
local prefix, id = ARGV[1], ARGV[2]
local item = prefix .. ':outbox:item:' .. id
local queue = redis.call('HGET', item, 'queue')
if not queue or redis.call('HGET', item, 'state') ~= 'pending' then return 0 end
redis.call('HSET', item, 'due', ARGV[3], 'lease', 0, 'error', ARGV[4])
rescore(prefix, queue, redis.call('HGET', item, 'key'))
return 1`,

  /** ARGV: prefix, id, attempts, leaseUntil → 1 renewed, 0 that claim is over. */
  renewLease: `${RESCORE_KEY}
local prefix, id = ARGV[1], ARGV[2]
local item = prefix .. ':outbox:item:' .. id
local fields = redis.call('HMGET', item, 'queue', 'key', 'state', 'attempts', 'lease')
if not fields[1] or fields[3] ~= 'pending' or fields[4] ~= ARGV[3] or tonumber(fields[5]) == 0 then return 0 end
redis.call('HSET', item, 'lease', ARGV[4])
rescore(prefix, fields[1], fields[2])
return 1`,

  /** ARGV: prefix, id, reason, failedAt. */
  markFailed: `${RESCORE_KEY}${DETACH_ENTRY}
local prefix, id = ARGV[1], ARGV[2]
local where = detach(prefix, id)
if not where then return 0 end
redis.call('HSET', prefix .. ':outbox:item:' .. id, 'state', 'failed', 'lease', 0, 'error', ARGV[3], 'failedAt', ARGV[4])
redis.call('SADD', prefix .. ':outbox:' .. where[1] .. ':failed', id)
rescore(prefix, where[1], where[2])
return 1`,

  /**
   * ARGV: prefix, id, now → the new id, or 0 when not a failed entry. The entry goes back to
   * the end of its ordering key under a new id, attempts from zero, due now.
   */
  retryDeadLetter: `${ADD_ENTRY}
local prefix, id = ARGV[1], ARGV[2]
local item = prefix .. ':outbox:item:' .. id
local fields = redis.call('HMGET', item, 'queue', 'key', 'payload', 'state', 'createdAt', 'error')
if not fields[1] or fields[4] ~= 'failed' then return 0 end
local newId = add_entry(prefix, fields[1], fields[2], fields[3], tonumber(ARGV[3]))
redis.call('HSET', prefix .. ':outbox:item:' .. newId, 'createdAt', fields[5], 'error', fields[6] or '')
redis.call('SREM', prefix .. ':outbox:' .. fields[1] .. ':failed', id)
redis.call('DEL', item)
return newId`,

  /** ARGV: prefix, sessionJson, id, channelType, customerId, conversationSid|'' → 1 inserted, 0 taken. */
  insertSession: `
local prefix, json, id = ARGV[1], ARGV[2], ARGV[3]
if not redis.call('SET', prefix .. ':active:' .. ARGV[4] .. ':' .. ARGV[5], id, 'NX') then return 0 end
redis.call('SET', prefix .. ':session:' .. id, json)
local index = prefix .. ':customer:' .. ARGV[4] .. ':' .. ARGV[5]
redis.call('SADD', index, id)
redis.call('PERSIST', index)
if ARGV[6] ~= '' then redis.call('SET', prefix .. ':conversation:' .. ARGV[6], id) end
return 1`,

  /** ARGV: prefix, id, resourcesJson. Merges the resources in and indexes the conversation. */
  recordResources: `${SESSION_FUNCTIONS}
local prefix, id = ARGV[1], ARGV[2]
local session = load_session(prefix, id)
if not session then return 0 end
for k, v in pairs(cjson.decode(ARGV[3])) do session.resources[k] = v end
redis.call('SET', prefix .. ':session:' .. id, cjson.encode(session), 'KEEPTTL')
if session.resources.conversationSid then
  redis.call('SET', prefix .. ':conversation:' .. session.resources.conversationSid, id)
end
return 1`,

  /** ARGV: prefix, id. creating → open. */
  markOpen: `${SESSION_FUNCTIONS}
local prefix, id = ARGV[1], ARGV[2]
local session = load_session(prefix, id)
if not session then return 0 end
if session.state ~= 'creating' then return 0 end
session.state = 'open'
redis.call('SET', prefix .. ':session:' .. id, cjson.encode(session))
return 1`,

  /** ARGV: prefix, id. */
  deleteSession: `${SESSION_FUNCTIONS}
local prefix, id = ARGV[1], ARGV[2]
local session = load_session(prefix, id)
if not session then return 0 end
local customer = session.channelType .. ':' .. session.customerId
drop_pointer(prefix .. ':active:' .. customer, id)
local sid = session.resources.conversationSid
if sid then drop_pointer(prefix .. ':conversation:' .. sid, id) end
redis.call('SREM', prefix .. ':customer:' .. customer, id)
redis.call('DEL', prefix .. ':session:' .. id)
return 1`,

  /**
   * ARGV: prefix, id, closedAt, now, followUp queue|'', key, payload, retentionMs → 1 closed,
   * 0 not open. The session, its conversation pointer and the customer's index expire after
   * the retention.
   */
  closeSession: `${ADD_ENTRY}${SESSION_FUNCTIONS}
local prefix, id = ARGV[1], ARGV[2]
local session = load_session(prefix, id)
if not session then return 0 end
if session.state ~= 'open' then return 0 end
session.state = 'closed'
session.closedAt = tonumber(ARGV[3])
local ttl = tonumber(ARGV[8])
redis.call('SET', prefix .. ':session:' .. id, cjson.encode(session), 'PX', ttl)
local sid = session.resources.conversationSid
if sid and redis.call('GET', prefix .. ':conversation:' .. sid) == id then
  redis.call('PEXPIRE', prefix .. ':conversation:' .. sid, ttl)
end
local active = prefix .. ':active:' .. session.channelType .. ':' .. session.customerId
drop_pointer(active, id)
local index = prefix .. ':customer:' .. session.channelType .. ':' .. session.customerId
if redis.call('EXISTS', active) == 0 then redis.call('PEXPIRE', index, ttl) end
if ARGV[5] ~= '' then add_entry(prefix, ARGV[5], ARGV[6], ARGV[7], tonumber(ARGV[4])) end
return 1`,
  /**
   * ARGV: prefix, queue, before → how many dead letters parked (or, for those parked before
   * failedAt was recorded, queued) before `before` were deleted.
   */
  pruneDeadLetters: `
local prefix, queue, before = ARGV[1], ARGV[2], tonumber(ARGV[3])
local failed = prefix .. ':outbox:' .. queue .. ':failed'
local removed = 0
for _, id in ipairs(redis.call('SMEMBERS', failed)) do
  local item = prefix .. ':outbox:item:' .. id
  local at = redis.call('HMGET', item, 'failedAt', 'createdAt')
  if tonumber(at[1] or at[2] or 0) < before then
    redis.call('DEL', item)
    redis.call('SREM', failed, id)
    removed = removed + 1
  end
end
return removed`,

  /**
   * ARGV: prefix, id, now, retentionMs → 1 when a closed session past its retention was
   * deleted. Brings a session written before retention existed under it: indexed for its
   * customer and, once closed, expiring.
   */
  adoptSession: `${SESSION_FUNCTIONS}
local prefix, id = ARGV[1], ARGV[2]
local key = prefix .. ':session:' .. id
local session = load_session(prefix, id)
if not session then return 0 end
local index = prefix .. ':customer:' .. session.channelType .. ':' .. session.customerId
redis.call('SADD', index, id)
if session.state ~= 'closed' or redis.call('PTTL', key) ~= -1 then return 0 end
local left = (tonumber(session.closedAt) or 0) + tonumber(ARGV[4]) - tonumber(ARGV[3])
if left > 0 then
  redis.call('PEXPIRE', key, left)
  return 0
end
local sid = session.resources.conversationSid
if sid then drop_pointer(prefix .. ':conversation:' .. sid, id) end
redis.call('SREM', index, id)
redis.call('DEL', key)
return 1`,

  /**
   * ARGV: prefix, channelType, customerId, customerOrderingKey → sessions, pending entries,
   * dead letters, dedupe keys deleted: everything held about that customer of that channel.
   * A dead letter may outlive its session: deliveries are also found by their recipient.
   */
  eraseCustomer: `${SESSION_FUNCTIONS}
local function delivers_to(payload, ch, customer)
  local ok, p = pcall(cjson.decode, payload or '')
  return ok and type(p) == 'table' and p.channelType == ch and type(p.event) == 'table'
    and type(p.event.to) == 'table' and p.event.to.id == customer
end
local prefix, ch, customer = ARGV[1], ARGV[2], ARGV[3]
local counts = { 0, 0, 0, 0 }
local owners = { ['to-flex'] = { [ARGV[4]] = true }, ['to-channel'] = {} }
local index = prefix .. ':customer:' .. ch .. ':' .. customer
for _, id in ipairs(redis.call('SMEMBERS', index)) do
  local session = load_session(prefix, id)
  if session then
    local sid = session.resources.conversationSid
    if sid then drop_pointer(prefix .. ':conversation:' .. sid, id) end
    redis.call('DEL', prefix .. ':session:' .. id)
    counts[1] = counts[1] + 1
  end
  owners['to-channel'][id] = true
end
redis.call('DEL', index, prefix .. ':active:' .. ch .. ':' .. customer)
for queue, keys in pairs(owners) do
  for okey in pairs(keys) do
    local list = prefix .. ':outbox:' .. queue .. ':list:' .. okey
    local ids = redis.call('LRANGE', list, 0, -1)
    for _, id in ipairs(ids) do redis.call('DEL', prefix .. ':outbox:item:' .. id) end
    if #ids > 0 then redis.call('DECRBY', prefix .. ':outbox:' .. queue .. ':pending', #ids) end
    counts[2] = counts[2] + #ids
    redis.call('DEL', list)
    redis.call('ZREM', prefix .. ':outbox:' .. queue .. ':heads', okey)
    local owned = prefix .. ':dedupe-owner:' .. okey
    for _, dedupe in ipairs(redis.call('SMEMBERS', owned)) do
      counts[4] = counts[4] + redis.call('DEL', prefix .. ':dedupe:' .. dedupe)
    end
    redis.call('DEL', owned)
  end
  local failed = prefix .. ':outbox:' .. queue .. ':failed'
  for _, id in ipairs(redis.call('SMEMBERS', failed)) do
    local item = prefix .. ':outbox:item:' .. id
    local fields = redis.call('HMGET', item, 'key', 'payload')
    if fields[1] and (keys[fields[1]] or (queue == 'to-channel' and delivers_to(fields[2], ch, customer))) then
      redis.call('DEL', item)
      redis.call('SREM', failed, id)
      counts[3] = counts[3] + 1
    end
  end
end
return counts`,
} as const;

export type ScriptName = keyof typeof SCRIPTS;
