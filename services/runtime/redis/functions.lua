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

local VERSION = '5'

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
-- audit log (one stream for every subject) and the index of each subject the event names (a
-- sorted set per crisis, organisation or responder), ARGV with retention_ms and the number of
-- indexes. No index, no key at all. Taken off both before the call's own parsing. Returns the
-- tail, or nil and an error reply.
local function take_audit(keys, args)
  local n, retention = tonumber(args[#args]), tonumber(args[#args - 1])
  if not n or not retention or n < 0 or (n > 0 and n + 1 > #keys - 2) or retention < 0 then
    return nil, redis.error_reply('RELAIS_BAD_CALL audit tail')
  end
  args[#args] = nil
  args[#args] = nil
  local taken = n > 0 and n + 1 or 0
  local tail = {}
  for i = 1, taken do
    tail[i] = keys[#keys - taken + i]
  end
  for _ = 1, taken do
    keys[#keys] = nil
  end
  local audit = {log = tail[1], indexes = {}, retention = retention}
  for i = 2, taken do
    audit.indexes[i - 1] = tail[i]
  end
  if audit.log and not type_is(audit.log, 'stream') then
    return nil, redis.error_reply('RELAIS_BAD_CALL audit log is not a stream')
  end
  for _, key in ipairs(audit.indexes) do
    if not type_is(key, 'zset') then
      return nil, redis.error_reply('RELAIS_BAD_CALL audit index is not a sorted set')
    end
  end
  return audit
end

-- A stream id as an index member that sorts by lexicography as ids do: '<ms 15 digits>-<seq 10
-- digits>'. Redis 7 preallocates 4 KiB for each new stream, so one stream per subject would cost
-- kilobytes per responder; a small sorted set of these costs tens of bytes.
local function index_member(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return string.format('%015d-%010d', tonumber(ms), tonumber(seq))
end

-- The audit trail: the event once more in the audit log, and its id in each subject's index,
-- kept for the retention period (longer than the live feed, which is trimmed by length). Older
-- entries go by their ids, which the server's clock assigned: the Function never reads the time.
local function append_audit(audit, event_type, event)
  if not audit.log then
    return
  end
  local id = redis.call('XADD', audit.log, '*', 't', event_type, 'e', event)
  local member = index_member(id)
  local oldest = math.max(0, tonumber(string.match(id, '^(%d+)')) - audit.retention)
  redis.call('XTRIM', audit.log, 'MINID', string.format('%d', oldest))
  local below = string.format('(%015d-', oldest)
  for _, key in ipairs(audit.indexes) do
    redis.call('ZADD', key, 0, member)
    redis.call('ZREMRANGEBYLEX', key, '-', below)
  end
end

-- KEYS: the audit log, one subject's index. ARGV: before (a stream id, '' for the newest), count.
-- Reply: up to count entries of the log the index names, strictly before `before`, newest first,
-- in XRANGE's shape ({id, {field, value...}}). Index members older than the log's oldest entry
-- (trimmed meanwhile) are skipped: the log is only ever trimmed from its oldest end.
local function audit_page(keys, args)
  local log, index, before, count = keys[1], keys[2], args[1], tonumber(args[2])
  if not count or count < 1 or count > 1001 or
      (before ~= '' and not string.match(before, '^%d+-%d+$')) then
    return redis.error_reply('RELAIS_BAD_CALL relais_audit_page arguments')
  end
  local first = redis.call('XRANGE', log, '-', '+', 'COUNT', 1)[1]
  if not first then
    return {}
  end
  local upper = before == '' and '+' or '(' .. index_member(before)
  local members = redis.call('ZREVRANGEBYLEX', index, upper, '[' .. index_member(first[1]),
                             'LIMIT', 0, count)
  local page = {}
  for _, member in ipairs(members) do
    local ms, seq = string.match(member, '^(%d+)-(%d+)$')
    local id = string.format('%d-%d', tonumber(ms), tonumber(seq))
    local entry = redis.call('XRANGE', log, id, id)[1]
    if entry then
      page[#page + 1] = entry
    end
  end
  return page
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
  function_name = 'relais_audit_page',
  callback = audit_page,
  flags = {'no-writes'},
}
redis.register_function{
  function_name = 'relais_runtime_version',
  callback = function() return VERSION end,
  flags = {'no-writes'},
}
