/**
 * The Lua scripts that make each multi-key change of the Redis store atomic, so that any
 * number of middleware instances sharing one Redis (or one Redis Cluster) behave as one.
 *
 * Every script works inside one home (see homes.ts): KEYS[1] is the home's key prefix H,
 * whose hash tag every key the script touches shares, so a cluster runs it on one slot.
 * ARGV[1] is the home's id spread (`<homes>:<home>`), which numbers new outbox entries.
 *
 * Key layout, under a home's prefix H:
 *   H:session:<id>                 session JSON; expires the closed-session retention after closing
 *   H:active:<channel>:<customer>  id of the customer's creating/open session (the creation lock)
 *   H:customer:<channel>:<customer> set of the customer's session ids (erasure); expires with the last closed one
 *   H:dedupe:<key>                 first-seen time, with a TTL
 *   H:dedupe-owner:<orderingKey>   set of the dedupe keys entries of that ordering key wrote (erasure), with a TTL
 *   H:tombstone:<hash>             an erased dedupe key, as a keyed hash, for the replay window (TTL)
 *   H:outbox:seq                   last outbox id
 *   H:outbox:item:<id>             hash: queue, key, payload, attempts, createdAt, due, lease, state, error, failedAt
 *   H:outbox:<queue>:list:<key>    pending ids of one ordering key, oldest first
 *   H:outbox:<queue>:heads         sorted set of ordering keys, scored by when their head may run
 *   H:outbox:<queue>:pending       count of pending entries
 *   H:outbox:<queue>:failed        set of failed ids
 *   H:outbox:<queue>:failed-of:<key>  the same ids of one ordering key, scored by id (a customer's dead letters without a scan)
 * Outside the homes (plain commands, see homes.ts): the conversation and session-home pointers.
 */

/**
 * A shared function: queue an entry in the home. Its id is seq * homes + home, with the
 * sequence number given in ARGV[1] (several homes share one sequence outside them, so ids
 * are unique across homes) or, with none given, the home's own. Returns the id, and whether the
 * entry is the head of its ordering key (due at once). Inlined where needed.
 */
const ADD_ENTRY = `
local function add_entry(prefix, queue, okey, payload, now)
  local homes, home, seq = string.match(ARGV[1], '^(%d+):(%d+):(%d*)$')
  if seq == '' then seq = redis.call('INCR', prefix .. ':outbox:seq') end
  local id = tonumber(seq) * tonumber(homes) + tonumber(home)
  redis.call('HSET', prefix .. ':outbox:item:' .. id,
    'queue', queue, 'key', okey, 'payload', payload, 'attempts', 0,
    'createdAt', now, 'due', now, 'lease', 0, 'state', 'pending')
  local list = prefix .. ':outbox:' .. queue .. ':list:' .. okey
  local head = redis.call('RPUSH', list, id) == 1
  if head then
    redis.call('ZADD', prefix .. ':outbox:' .. queue .. ':heads', now, okey)
  end
  redis.call('INCR', prefix .. ':outbox:' .. queue .. ':pending')
  return id, head
end
`;

/**
 * A shared function: remembers the dedupe keys given from ARGV[first] on, each followed by its
 * tombstone hash ('' without tombstones). Returns false when the entry must not be queued: a
 * key seen before (every key is remembered anyway), or a tombstoned key (then nothing is).
 */
const REMEMBER_KEYS = `
local function remember_keys(prefix, okey, now, ttl, first)
  for i = first + 1, #ARGV, 2 do
    if ARGV[i] ~= '' and redis.call('EXISTS', prefix .. ':tombstone:' .. ARGV[i]) == 1 then return false end
  end
  local seen = false
  local owned = prefix .. ':dedupe-owner:' .. okey
  for i = first, #ARGV, 2 do
    if redis.call('SET', prefix .. ':dedupe:' .. ARGV[i], now, 'NX', 'PX', ttl) then
      redis.call('SADD', owned, ARGV[i])
    else
      seen = true
    end
  end
  if #ARGV >= first then redis.call('PEXPIRE', owned, ttl) end
  return not seen
end
`;

/** Re-scores an ordering key after its head changed: the new head's due time, or gone. Returns whether it has a head. */
const RESCORE_KEY = `
local function rescore(prefix, queue, okey)
  local list = prefix .. ':outbox:' .. queue .. ':list:' .. okey
  local heads = prefix .. ':outbox:' .. queue .. ':heads'
  local head = redis.call('LINDEX', list, 0)
  if not head then
    redis.call('ZREM', heads, okey)
    return false
  end
  local item = prefix .. ':outbox:item:' .. head
  local due = tonumber(redis.call('HGET', item, 'due'))
  local lease = tonumber(redis.call('HGET', item, 'lease'))
  redis.call('ZADD', heads, math.max(due, lease), okey)
  return true
end
`;

/** Removes an entry from its ordering key's list. */
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
const DELIVERS_TO = `
local function delivers_to(payload, ch, customer)
  local ok, p = pcall(cjson.decode, payload or '')
  return ok and type(p) == 'table' and p.channelType == ch and type(p.event) == 'table'
    and type(p.event.to) == 'table' and p.event.to.id == customer
end
`;

/** The ordering keys of a customer's entries (to Flex: theirs; to the channel: their sessions'), and the live dedupe keys those wrote. */
const CUSTOMER_KEYS = `
local function owners_of(prefix, ch, customer, okey)
  local owners = { ['to-flex'] = { [okey] = true }, ['to-channel'] = {} }
  for _, id in ipairs(redis.call('SMEMBERS', prefix .. ':customer:' .. ch .. ':' .. customer)) do
    owners['to-channel'][id] = true
  end
  return owners
end
local function live_dedupe_keys(prefix, owners)
  local found = {}
  for _, keys in pairs(owners) do
    for okey in pairs(keys) do
      for _, dedupe in ipairs(redis.call('SMEMBERS', prefix .. ':dedupe-owner:' .. okey)) do
        if redis.call('EXISTS', prefix .. ':dedupe:' .. dedupe) == 1 then table.insert(found, dedupe) end
      end
    end
  end
  return found
end
`;

const SESSION_FUNCTIONS = `
local function load_session(prefix, id)
  local raw = redis.call('GET', prefix .. ':session:' .. id)
  return raw and cjson.decode(raw)
end
local function drop_pointer(key, id)
  if redis.call('GET', key) == id then redis.call('DEL', key) end
end
`;

/** The scripts by command name; each takes one key, the home's prefix, and the id spread as ARGV[1]. */
export const SCRIPTS = {
  /**
   * ARGV: spread, pointer (`active:<channel>:<customer>`) → the session JSON it points at,
   * or nil: one round trip on the hot path instead of two.
   */
  sessionVia: `
local prefix = KEYS[1]
local id = redis.call('GET', prefix .. ':' .. ARGV[2])
if not id then return false end
return redis.call('GET', prefix .. ':session:' .. id)`,

  /**
   * ARGV: spread, queue, orderingKey, payload, now, ttlMs, '1' to queue only while the session
   * the ordering key names is stored (else ''), then for each dedupe key the key and its
   * tombstone hash ('' without tombstones) → 2 queued as the head of its ordering key (due at
   * once), 1 queued behind another entry, 0 duplicate or no such session. A tombstoned key
   * counts as seen, and then nothing is written.
   */
  enqueue: `${ADD_ENTRY}${REMEMBER_KEYS}
local prefix, queue, okey, payload = KEYS[1], ARGV[2], ARGV[3], ARGV[4]
local now, ttl = tonumber(ARGV[5]), tonumber(ARGV[6])
if ARGV[7] ~= '' and redis.call('EXISTS', prefix .. ':session:' .. okey) == 0 then return 0 end
if not remember_keys(prefix, okey, now, ttl, 8) then return 0 end
local _, head = add_entry(prefix, queue, okey, payload, now)
if head then return 2 end
return 1`,

  /**
   * ARGV: spread, queue, orderingKey, payload, now, ttlMs, leaseUntil, a session pointer
   * (`active:<channel>:<customer>`, or ''), the stored-session condition as for enqueue, then
   * the dedupe keys as for enqueue → { the new entry's id, the session JSON the pointer names
   * or '' } when it was queued as the head of its ordering key and leased until leaseUntil
   * (attempts 1, as claimDue would), 0 queued behind another entry, -1 duplicate or no such session.
   */
  enqueueAndClaim: `${ADD_ENTRY}${REMEMBER_KEYS}
local prefix, queue, okey, payload = KEYS[1], ARGV[2], ARGV[3], ARGV[4]
local now, ttl, leaseUntil = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
if ARGV[9] ~= '' and redis.call('EXISTS', prefix .. ':session:' .. okey) == 0 then return -1 end
if not remember_keys(prefix, okey, now, ttl, 10) then return -1 end
local id, head = add_entry(prefix, queue, okey, payload, now)
if not head then return 0 end
redis.call('HSET', prefix .. ':outbox:item:' .. id, 'attempts', 1, 'lease', leaseUntil)
redis.call('ZADD', prefix .. ':outbox:' .. queue .. ':heads', leaseUntil, okey)
local session = ''
if ARGV[8] ~= '' then
  local sessionId = redis.call('GET', prefix .. ':' .. ARGV[8])
  if sessionId then session = redis.call('GET', prefix .. ':session:' .. sessionId) or '' end
end
return { id, session }`,

  /** ARGV: spread, queue, now, limit, leaseMs → flat list of id, key, payload, attempts, createdAt. */
  claimDue: `
local prefix, queue = KEYS[1], ARGV[2]
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

  /** ARGV: spread, id → its queue when its ordering key has another entry pending (now its head), else nil. */
  complete: `${RESCORE_KEY}${DETACH_ENTRY}
local prefix, id = KEYS[1], ARGV[2]
local where = detach(prefix, id)
redis.call('DEL', prefix .. ':outbox:item:' .. id)
if where and rescore(prefix, where[1], where[2]) then return where[1] end
return false`,

  /** ARGV: spread, id, notBefore, reason. */
  retryLater: `${RESCORE_KEY}
local prefix, id = KEYS[1], ARGV[2]
local item = prefix .. ':outbox:item:' .. id
local queue = redis.call('HGET', item, 'queue')
if not queue or redis.call('HGET', item, 'state') ~= 'pending' then return 0 end
redis.call('HSET', item, 'due', ARGV[3], 'lease', 0, 'error', ARGV[4])
rescore(prefix, queue, redis.call('HGET', item, 'key'))
return 1`,

  /** ARGV: spread, id, attempts, leaseUntil → 1 renewed, 0 that claim is over. */
  renewLease: `${RESCORE_KEY}
local prefix, id = KEYS[1], ARGV[2]
local item = prefix .. ':outbox:item:' .. id
local fields = redis.call('HMGET', item, 'queue', 'key', 'state', 'attempts', 'lease')
if not fields[1] or fields[3] ~= 'pending' or fields[4] ~= ARGV[3] or tonumber(fields[5]) == 0 then return 0 end
redis.call('HSET', item, 'lease', ARGV[4])
rescore(prefix, fields[1], fields[2])
return 1`,

  /** ARGV: spread, id, reason, failedAt → its queue when its ordering key has another entry pending (now its head), else nil. */
  markFailed: `${RESCORE_KEY}${DETACH_ENTRY}
local prefix, id = KEYS[1], ARGV[2]
local where = detach(prefix, id)
if not where then return false end
redis.call('HSET', prefix .. ':outbox:item:' .. id, 'state', 'failed', 'lease', 0, 'error', ARGV[3], 'failedAt', ARGV[4])
redis.call('SADD', prefix .. ':outbox:' .. where[1] .. ':failed', id)
redis.call('ZADD', prefix .. ':outbox:' .. where[1] .. ':failed-of:' .. where[2], id, id)
if rescore(prefix, where[1], where[2]) then return where[1] end
return false`,

  /**
   * ARGV: spread, id, now → the new id, or 0 when not a failed entry. The entry goes back to
   * the end of its ordering key under a new id, attempts from zero, due now.
   */
  retryDeadLetter: `${ADD_ENTRY}
local prefix, id = KEYS[1], ARGV[2]
local item = prefix .. ':outbox:item:' .. id
local fields = redis.call('HMGET', item, 'queue', 'key', 'payload', 'state', 'createdAt', 'error')
if not fields[1] or fields[4] ~= 'failed' then return 0 end
local newId = add_entry(prefix, fields[1], fields[2], fields[3], tonumber(ARGV[3]))
redis.call('HSET', prefix .. ':outbox:item:' .. newId, 'createdAt', fields[5], 'error', fields[6] or '')
redis.call('SREM', prefix .. ':outbox:' .. fields[1] .. ':failed', id)
redis.call('ZREM', prefix .. ':outbox:' .. fields[1] .. ':failed-of:' .. fields[2], id)
redis.call('DEL', item)
return newId`,

  /** ARGV: spread, sessionJson, id, channelType, customerId → 1 inserted, 0 taken. */
  insertSession: `
local prefix, json, id = KEYS[1], ARGV[2], ARGV[3]
if not redis.call('SET', prefix .. ':active:' .. ARGV[4] .. ':' .. ARGV[5], id, 'NX') then return 0 end
redis.call('SET', prefix .. ':session:' .. id, json)
local index = prefix .. ':customer:' .. ARGV[4] .. ':' .. ARGV[5]
redis.call('SADD', index, id)
redis.call('PERSIST', index)
return 1`,

  /** ARGV: spread, id, resourcesJson → the conversation SID ('' none yet), or nil without a session. Merges the resources in. */
  recordResources: `${SESSION_FUNCTIONS}
local prefix, id = KEYS[1], ARGV[2]
local session = load_session(prefix, id)
if not session then return false end
for k, v in pairs(cjson.decode(ARGV[3])) do session.resources[k] = v end
redis.call('SET', prefix .. ':session:' .. id, cjson.encode(session), 'KEEPTTL')
return session.resources.conversationSid or ''`,

  /** ARGV: spread, id. creating → open. */
  markOpen: `${SESSION_FUNCTIONS}
local prefix, id = KEYS[1], ARGV[2]
local session = load_session(prefix, id)
if not session then return 0 end
if session.state ~= 'creating' then return 0 end
session.state = 'open'
redis.call('SET', prefix .. ':session:' .. id, cjson.encode(session))
return 1`,

  /** ARGV: spread, id → the conversation SID ('' none), or nil without a session. */
  deleteSession: `${SESSION_FUNCTIONS}
local prefix, id = KEYS[1], ARGV[2]
local session = load_session(prefix, id)
if not session then return false end
local customer = session.channelType .. ':' .. session.customerId
drop_pointer(prefix .. ':active:' .. customer, id)
redis.call('SREM', prefix .. ':customer:' .. customer, id)
redis.call('DEL', prefix .. ':session:' .. id)
return session.resources.conversationSid or ''`,

  /**
   * ARGV: spread, id, closedAt, now, followUp queue|'', key, payload, retentionMs → the
   * conversation SID ('' none) when closed, nil when not open. The session and the customer's
   * index expire after the retention. The follow-up is queued in this home: it is ordered by
   * the session or its customer, both of which live here.
   */
  closeSession: `${ADD_ENTRY}${SESSION_FUNCTIONS}
local prefix, id = KEYS[1], ARGV[2]
local session = load_session(prefix, id)
if not session then return false end
if session.state ~= 'open' then return false end
session.state = 'closed'
session.closedAt = tonumber(ARGV[3])
local ttl = tonumber(ARGV[8])
redis.call('SET', prefix .. ':session:' .. id, cjson.encode(session), 'PX', ttl)
local active = prefix .. ':active:' .. session.channelType .. ':' .. session.customerId
drop_pointer(active, id)
local index = prefix .. ':customer:' .. session.channelType .. ':' .. session.customerId
if redis.call('EXISTS', active) == 0 then redis.call('PEXPIRE', index, ttl) end
if ARGV[5] ~= '' then add_entry(prefix, ARGV[5], ARGV[6], ARGV[7], tonumber(ARGV[4])) end
return session.resources.conversationSid or ''`,
  /**
   * ARGV: spread, queue, orderingKey, afterId, limit → the ids of that key's dead letters in the
   * queue above afterId, at most limit, ascending: read where they are, not sent whole.
   */
  deadLettersOfKey: `
return redis.call('ZRANGEBYSCORE', KEYS[1] .. ':outbox:' .. ARGV[2] .. ':failed-of:' .. ARGV[3], '(' .. ARGV[4], '+inf', 'LIMIT', 0, tonumber(ARGV[5]))`,

  /**
   * ARGV: spread, queue, before → how many dead letters parked (or, for those parked before
   * failedAt was recorded, queued) before `before` were deleted. Those kept are indexed by
   * their ordering key if they are not yet: parked before that index existed, or by an
   * instance of an earlier version during a rolling upgrade.
   */
  pruneDeadLetters: `
local prefix, queue, before = KEYS[1], ARGV[2], tonumber(ARGV[3])
local failed = prefix .. ':outbox:' .. queue .. ':failed'
local removed = 0
for _, id in ipairs(redis.call('SMEMBERS', failed)) do
  local item = prefix .. ':outbox:item:' .. id
  local at = redis.call('HMGET', item, 'failedAt', 'createdAt', 'key')
  local ofKey = at[3] and (prefix .. ':outbox:' .. queue .. ':failed-of:' .. at[3])
  if tonumber(at[1] or at[2] or 0) < before then
    redis.call('DEL', item)
    redis.call('SREM', failed, id)
    if ofKey then redis.call('ZREM', ofKey, id) end
    removed = removed + 1
  elseif ofKey and not redis.call('ZSCORE', ofKey, id) then
    redis.call('ZADD', ofKey, id, id)
  end
end
return removed`,

  /**
   * ARGV: spread, id, now, retentionMs → the conversation SID ('' none) when a closed
   * session past its retention was deleted, else nil. Brings a session written before retention existed under it: indexed for its
   * customer and, once closed, expiring.
   */
  adoptSession: `${SESSION_FUNCTIONS}
local prefix, id = KEYS[1], ARGV[2]
local key = prefix .. ':session:' .. id
local session = load_session(prefix, id)
if not session then return false end
local index = prefix .. ':customer:' .. session.channelType .. ':' .. session.customerId
redis.call('SADD', index, id)
if session.state ~= 'closed' or redis.call('PTTL', key) ~= -1 then return false end
local left = (tonumber(session.closedAt) or 0) + tonumber(ARGV[4]) - tonumber(ARGV[3])
if left > 0 then
  redis.call('PEXPIRE', key, left)
  return false
end
redis.call('SREM', index, id)
redis.call('DEL', key)
return session.resources.conversationSid or ''`,

  /** ARGV: spread, channelType, then customer ids → for each customer, the JSON of each of their sessions still stored. */
  sessionsOfCustomers: `
local prefix, ch = KEYS[1], ARGV[2]
local found = {}
for i = 3, #ARGV do
  local sessions = {}
  for _, id in ipairs(redis.call('SMEMBERS', prefix .. ':customer:' .. ch .. ':' .. ARGV[i])) do
    local json = redis.call('GET', prefix .. ':session:' .. id)
    if json then table.insert(sessions, json) end
  end
  found[#found + 1] = sessions
end
return found`,

  /** ARGV: spread, channelType, customerId, customerOrderingKey → the customer's live dedupe keys, for their tombstones' hashes. */
  customerDedupeKeys: `${CUSTOMER_KEYS}
return live_dedupe_keys(KEYS[1], owners_of(KEYS[1], ARGV[2], ARGV[3], ARGV[4]))`,

  /**
   * ARGV: spread, channelType, customerId, customerOrderingKey, tombstone ttlMs (0: none), then
   * each live dedupe key and its tombstone hash → sessions, pending entries, dead letters,
   * dedupe keys deleted: everything the home holds about that customer of that channel; then
   * each deleted session's id and conversation SID ('' none), for the pointers. With
   * tombstones, { -1 } and nothing changed when a live dedupe key came without its hash (one
   * written since they were listed): list them again. A dead letter may outlive its session:
   * deliveries are also found by their recipient.
   */
  eraseCustomer: `${SESSION_FUNCTIONS}${DELIVERS_TO}${CUSTOMER_KEYS}
local prefix, ch, customer = KEYS[1], ARGV[2], ARGV[3]
local owners = owners_of(prefix, ch, customer, ARGV[4])
local tombstoneTtl = tonumber(ARGV[5])
if tombstoneTtl > 0 then
  local hashes = {}
  for i = 6, #ARGV, 2 do hashes[ARGV[i]] = ARGV[i + 1] end
  local live = live_dedupe_keys(prefix, owners)
  for _, dedupe in ipairs(live) do
    if not hashes[dedupe] then return { -1 } end
  end
  for _, dedupe in ipairs(live) do
    redis.call('SET', prefix .. ':tombstone:' .. hashes[dedupe], 1, 'PX', tombstoneTtl)
  end
end
local counts = { 0, 0, 0, 0 }
local erased = {}
local index = prefix .. ':customer:' .. ch .. ':' .. customer
for id in pairs(owners['to-channel']) do
  local session = load_session(prefix, id)
  if session then
    redis.call('DEL', prefix .. ':session:' .. id)
    counts[1] = counts[1] + 1
    table.insert(erased, id)
    table.insert(erased, session.resources.conversationSid or '')
  end
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
      redis.call('ZREM', failed .. '-of:' .. fields[1], id)
      counts[3] = counts[3] + 1
    end
  end
end
for _, value in ipairs(erased) do table.insert(counts, value) end
return counts`,

  /**
   * ARGV: spread, channelType, customerId → how many dead-lettered deliveries to that customer
   * this home held: erasure runs it in the other homes, where deliveries ordered by a session
   * already gone when they were queued may have landed.
   */
  eraseDeliveries: `${DELIVERS_TO}
local prefix, ch, customer = KEYS[1], ARGV[2], ARGV[3]
local failed = prefix .. ':outbox:to-channel:failed'
local removed = 0
for _, id in ipairs(redis.call('SMEMBERS', failed)) do
  local item = prefix .. ':outbox:item:' .. id
  local fields = redis.call('HMGET', item, 'payload', 'key')
  if delivers_to(fields[1], ch, customer) then
    redis.call('DEL', item)
    redis.call('SREM', failed, id)
    if fields[2] then redis.call('ZREM', failed .. '-of:' .. fields[2], id) end
    removed = removed + 1
  end
end
return removed`,
} as const;

/** Scripts on one pointer outside the homes: KEYS[1] the pointer, ARGV[1] the value it must still hold (or the home's prefix). */
export const POINTER_SCRIPTS = {
  /**
   * ARGV[1]: the home's prefix → the session JSON the conversation pointer names, or nil. Only
   * on a single Redis, where one home's keys and the pointer may meet in one script: one round
   * trip on the webhook path instead of two.
   */
  sessionViaConversation: `
local id = redis.call('GET', KEYS[1])
if not id then return false end
return redis.call('GET', ARGV[1] .. ':session:' .. id)`,
  /** → 1 deleted, 0 it names something else. */
  dropPointer: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])`,
  /** ARGV[2]: ttlMs. */
  expirePointer: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])`,
} as const;

export type PointerScriptName = keyof typeof POINTER_SCRIPTS;

export type ScriptName = keyof typeof SCRIPTS;
