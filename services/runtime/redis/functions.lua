#!lua name=relais_runtime
-- The generic atomic commit of Relais, as a Redis 7 Function library (persisted in AOF/RDB and
-- replicated, unlike EVAL's script cache). Embedded in the services' binaries at build time and
-- loaded with FUNCTION LOAD REPLACE by services/runtime/redis/committer.cc.
--
-- Rules that keep it safe:
--  * every check runs before the first write: a Function does not roll back what it already
--    wrote when it fails halfway;
--  * it never reads the time: the caller's Event carries it;
--  * every call touches only the keys it is given, a handful each.

local VERSION = '4'

-- Idempotency record: hash {f = request fingerprint, o = stored outcome, c = event cursor}.
-- Returns the replay reply, a mismatch error, or nil when the request id is unused.
local function check_idempotency(idem_key, fingerprint)
  local stored = redis.call('HMGET', idem_key, 'f', 'o', 'c')
  if not stored[1] then
    return nil
  end
  if stored[1] ~= fingerprint then
    return redis.error_reply('RELAIS_IDEMPOTENCY_MISMATCH request id reused')
  end
  return {1, stored[2] or '', stored[3] or ''}
end

local function remember(idem_key, fingerprint, outcome, cursor, ttl_ms)
  redis.call('HSET', idem_key, 'f', fingerprint, 'o', outcome, 'c', cursor)
  redis.call('PEXPIRE', idem_key, ttl_ms)
end

local function type_is(key, allowed)
  local t = redis.call('TYPE', key).ok
  return t == 'none' or t == allowed
end

-- The audit tail every write call ends with (committer.cc AppendAuditTail): KEYS end with the
-- audit streams of the event's subjects, ARGV with retention_ms and their count. Taken off both
-- before the call's own parsing. Returns the tail, or nil and an error reply.
local function take_audit(keys, args)
  local n, retention = tonumber(args[#args]), tonumber(args[#args - 1])
  if not n or not retention or n < 0 or n > #keys - 2 or retention < 0 then
    return nil, redis.error_reply('RELAIS_BAD_CALL audit tail')
  end
  args[#args] = nil
  args[#args] = nil
  local streams = {}
  for i = 1, n do
    streams[i] = keys[#keys - n + i]
  end
  for _ = 1, n do
    keys[#keys] = nil
  end
  for _, key in ipairs(streams) do
    if not type_is(key, 'stream') then
      return nil, redis.error_reply('RELAIS_BAD_CALL audit key is not a stream')
    end
  end
  return {streams = streams, retention = retention}
end

-- The audit trail: the event again in each subject's stream, kept for the retention period
-- (longer than the live feed, which is trimmed by length). Older entries go by their ids, which
-- the server's clock assigned: the Function still never reads the time itself.
local function append_audit(audit, event_type, event)
  for _, key in ipairs(audit.streams) do
    local id = redis.call('XADD', key, '*', 't', event_type, 'e', event)
    local ms = tonumber(string.match(id, '^(%d+)'))
    redis.call('XTRIM', key, 'MINID', string.format('%d', math.max(0, ms - audit.retention)))
  end
end

-- KEYS: idempotency key, event log, the entity keys (one per write), the index keys (one per op),
--       the keys that must be absent; then the audit tail.
-- ARGV: fingerprint, outcome, ttl_ms, log_max_len, n_writes, n_index_ops, event_type, crisis_id,
--       event, n_absent; then per write: expected_version, value, n_extra, n_extra x (field,
--       value); then per index op: 'a'|'r', member, score; then the audit tail.
-- Reply: {replayed (0|1), stored outcome (replay only), event cursor}.
local function commit(keys, args)
  local audit, bad_tail = take_audit(keys, args)
  if not audit then
    return bad_tail
  end
  local idem_key, log_key = keys[1], keys[2]
  local fingerprint, outcome, ttl_ms, max_len = args[1], args[2], args[3], args[4]
  local n_writes, n_index, n_absent = tonumber(args[5]), tonumber(args[6]), tonumber(args[10])
  if not n_writes or not n_index or not n_absent or
      #keys ~= 2 + n_writes + n_index + n_absent then
    return redis.error_reply('RELAIS_BAD_CALL relais_commit arguments')
  end

  -- Parse the writes (variable length: each may carry extra fields).
  local writes, a = {}, 11
  for i = 1, n_writes do
    local n_extra = tonumber(args[a + 2])
    if not n_extra then
      return redis.error_reply('RELAIS_BAD_CALL relais_commit arguments')
    end
    local w = {key = keys[2 + i], expected = tonumber(args[a]), value = args[a + 1], extra = {}}
    for x = 1, 2 * n_extra do
      w.extra[x] = args[a + 2 + x]
    end
    writes[i] = w
    a = a + 3 + 2 * n_extra
  end
  if #args ~= a - 1 + 3 * n_index then
    return redis.error_reply('RELAIS_BAD_CALL relais_commit arguments')
  end

  local replay = check_idempotency(idem_key, fingerprint)
  if replay then
    return replay
  end

  -- Checks.
  for i, w in ipairs(writes) do
    local current = tonumber(redis.call('HGET', w.key, 'v')) or 0
    if current ~= w.expected then
      return redis.error_reply(string.format('RELAIS_VERSION_CONFLICT %d %d %d', i, w.expected,
                                             current))
    end
  end
  for j = 1, n_index do
    if not type_is(keys[2 + n_writes + j], 'zset') then
      return redis.error_reply('RELAIS_BAD_CALL index key is not a sorted set')
    end
  end
  for g = 1, n_absent do
    if redis.call('EXISTS', keys[2 + n_writes + n_index + g]) == 1 then
      return redis.error_reply(string.format('RELAIS_PRECONDITION %d', g - 1))
    end
  end
  if not type_is(log_key, 'stream') then
    return redis.error_reply('RELAIS_BAD_CALL event log key is not a stream')
  end

  -- Writes.
  for _, w in ipairs(writes) do
    if w.value == '' and w.expected > 0 then
      redis.call('DEL', w.key)  -- erasure
    else
      redis.call('HSET', w.key, 'v', string.format('%d', w.expected + 1), 'd', w.value,
                 unpack(w.extra))
    end
  end
  for j = 1, n_index do
    local base = a - 1 + 3 * (j - 1)
    local key = keys[2 + n_writes + j]
    if args[base + 1] == 'a' then
      redis.call('ZADD', key, args[base + 3], args[base + 2])
    else
      redis.call('ZREM', key, args[base + 2])
    end
  end
  -- Bookkeeping commits (e.g. a notification's delivery attempt) carry no event (type 0).
  local cursor = ''
  if args[7] ~= '0' then
    cursor = redis.call('XADD', log_key, 'MAXLEN', '~', max_len, '*',
                        't', args[7], 'c', args[8], 'e', args[9])
    append_audit(audit, args[7], args[9])
  end
  remember(idem_key, fingerprint, outcome, cursor, ttl_ms)
  return {0, '', cursor}
end

-- KEYS: idempotency key. ARGV: fingerprint, outcome, ttl_ms.
-- Records a refusal so that a retry gets the same answer; writes nothing else.
local function refuse(keys, args)
  local replay = check_idempotency(keys[1], args[1])
  if replay then
    return replay
  end
  remember(keys[1], args[1], args[2], '', args[3])
  return {0, '', ''}
end

redis.register_function('relais_commit', commit)
redis.register_function('relais_refuse', refuse)
redis.register_function{
  function_name = 'relais_runtime_version',
  callback = function() return VERSION end,
  flags = {'no-writes'},
}
