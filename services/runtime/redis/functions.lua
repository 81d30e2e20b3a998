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

local VERSION = '1'

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

-- KEYS: idempotency key, event log, the entity keys (one per write), the index keys (one per op).
-- ARGV: fingerprint, outcome, ttl_ms, log_max_len, n_writes, n_index_ops, event_type, crisis_id,
--       event; then per write: expected_version, value; then per index op: 'a'|'r', member, score.
-- Reply: {replayed (0|1), stored outcome (replay only), event cursor}.
local function commit(keys, args)
  local idem_key, log_key = keys[1], keys[2]
  local fingerprint, outcome, ttl_ms, max_len = args[1], args[2], args[3], args[4]
  local n_writes, n_index = tonumber(args[5]), tonumber(args[6])
  if not n_writes or not n_index or #keys ~= 2 + n_writes + n_index or
      #args ~= 9 + 2 * n_writes + 3 * n_index then
    return redis.error_reply('RELAIS_BAD_CALL relais_commit arguments')
  end

  local replay = check_idempotency(idem_key, fingerprint)
  if replay then
    return replay
  end

  -- Checks.
  for i = 1, n_writes do
    local expected = tonumber(args[8 + 2 * i])
    local current = tonumber(redis.call('HGET', keys[2 + i], 'v')) or 0
    if current ~= expected then
      return redis.error_reply(string.format('RELAIS_VERSION_CONFLICT %d %d %d', i, expected,
                                             current))
    end
  end
  for j = 1, n_index do
    if not type_is(keys[2 + n_writes + j], 'zset') then
      return redis.error_reply('RELAIS_BAD_CALL index key is not a sorted set')
    end
  end
  if not type_is(log_key, 'stream') then
    return redis.error_reply('RELAIS_BAD_CALL event log key is not a stream')
  end

  -- Writes.
  for i = 1, n_writes do
    local key = keys[2 + i]
    local expected = tonumber(args[8 + 2 * i])
    local value = args[9 + 2 * i]
    if value == '' and expected > 0 then
      redis.call('DEL', key)  -- erasure
    else
      redis.call('HSET', key, 'v', string.format('%d', expected + 1), 'd', value)
    end
  end
  for j = 1, n_index do
    local base = 9 + 2 * n_writes + 3 * (j - 1)
    local key = keys[2 + n_writes + j]
    if args[base + 1] == 'a' then
      redis.call('ZADD', key, args[base + 3], args[base + 2])
    else
      redis.call('ZREM', key, args[base + 2])
    end
  end
  local cursor = redis.call('XADD', log_key, 'MAXLEN', '~', max_len, '*',
                            't', args[7], 'c', args[8], 'e', args[9])
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
