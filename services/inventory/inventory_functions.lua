#!lua name=relais_inventory
-- The ledger of holds, commitments and stock counters (services/inventory/ledger.h has the key
-- layout and the invariants). Called by services/inventory/redis_ledger.cc through
-- Committer::Call.
--
-- The rules of functions.lua hold here too:
--  * every check runs before the first write (a Function does not roll back half a change);
--  * it never reads the time: the caller passes every timestamp, in ms since the epoch;
--  * it touches only the keys it is given: per call O(members + stock lines), at most ~100.
--
-- Every write call ends with the audit tail (see take_audit).
--
-- Replies: {0, '', event cursor} when written, {1, stored outcome, cursor} on a replay.
-- Errors (mapped in redis_ledger.cc; they carry ids and numbers, never personal data):
--   RELAIS_IDEMPOTENCY_MISMATCH ...                       request id reused for another request
--   RELAIS_VERSION_CONFLICT <expected> <found>            hold or team moved since it was read
--   RELAIS_NOT_FOUND <stock line id>                      no such stock line (adjust)
--   RELAIS_GONE <responder|stock line> <id>               a hold's member or line was removed
--   RELAIS_OVERLAP <responder id> <start> <end> <hold id> a booking is in the way
--   RELAIS_SHORT <stock line id> <available>              not enough available units
--   RELAIS_LEDGER_BROKEN <stock line id>                  a counter would go negative (a bug)
--   RELAIS_BAD_CALL ...                                   the caller built a wrong call (a bug)

local VERSION = '3'

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

local function type_is(key, allowed)
  local t = redis.call('TYPE', key).ok
  return t == 'none' or t == allowed
end

-- The audit tail every write call ends with (committer.cc AppendAuditTail), as in
-- functions.lua (a library cannot call another's local functions): KEYS end with the audit log
-- and the index of each subject the event names, ARGV with retention_ms and the number of
-- indexes (no index, no key). Returns the tail, or nil and an error.
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

-- Appends the event, its audit trail entry (the log, and its id in each subject's index, as
-- functions.lua append_audit does; trimmed by the retention, measured on the id the server's
-- clock assigned) and remembers the outcome: the last step of every write.
local function log_and_remember(idem_key, log_key, common)
  local cursor = redis.call('XADD', log_key, 'MAXLEN', '~', common.max_len, '*',
                            't', common.event_type, 'c', '', 'e', common.event)
  local audit = common.audit
  if audit.log then
    local id = redis.call('XADD', audit.log, '*', 't', common.event_type, 'e', common.event)
    local ms, seq = string.match(id, '^(%d+)-(%d+)$')
    local member = string.format('%015d-%010d', tonumber(ms), tonumber(seq))
    local oldest = math.max(0, tonumber(ms) - audit.retention)
    redis.call('XTRIM', audit.log, 'MINID', string.format('%d', oldest))
    local below = string.format('(%015d-', oldest)
    for _, key in ipairs(audit.indexes) do
      redis.call('ZADD', key, 0, member)
      redis.call('ZREMRANGEBYLEX', key, '-', below)
    end
  end
  redis.call('HSET', idem_key, 'f', common.fingerprint, 'o', common.outcome, 'c', cursor)
  redis.call('PEXPIRE', idem_key, common.ttl_ms)
  return {0, '', cursor}
end

-- ARGV[1..6] of every write: fingerprint, outcome, ttl_ms, log max length, event type, event;
-- the audit tail comes off KEYS and ARGV first. Nil and an error reply when it is malformed.
local function common_args(keys, args)
  local audit, bad_tail = take_audit(keys, args)
  if not audit then
    return nil, bad_tail
  end
  return {fingerprint = args[1], outcome = args[2], ttl_ms = args[3], max_len = args[4],
          event_type = args[5], event = args[6], audit = audit}
end

local function bad_call(what)
  return redis.error_reply('RELAIS_BAD_CALL ' .. what)
end

-- The booking that could overlap [start, finish) among a responder's bookings, skipping
-- `own_member`: bookings never overlap, so sorted by start they are sorted by end too, and the
-- last ones starting before `finish` are the only candidates. O(log n).
-- Returns nil or {start, end, hold id} of the booking in the way.
local function booking_in_the_way(key, start, finish, own_member)
  local last = redis.call('ZREVRANGEBYSCORE', key, '(' .. finish, '-inf', 'WITHSCORES',
                          'LIMIT', 0, 2)
  for i = 1, #last, 2 do
    local member = last[i]
    if member ~= own_member then
      local colon = string.find(member, ':', 1, true)
      local booked_end = tonumber(string.sub(member, 1, colon - 1))
      if booked_end > tonumber(start) then
        return {last[i + 1], string.sub(member, 1, colon - 1), string.sub(member, colon + 1)}
      end
      return nil
    end
  end
  return nil
end

local function overlap_error(responder_id, found)
  return redis.error_reply(string.format('RELAIS_OVERLAP %s %s %s %s', responder_id, found[1],
                                         found[2], found[3]))
end

-- The ledger counters of a stock line as numbers, or nil when the line does not exist.
local function read_counters(key)
  local r = redis.call('HMGET', key, 'v', 'a', 'h', 'c', 'u')
  if not r[1] then
    return nil
  end
  return {a = tonumber(r[2]) or 0, h = tonumber(r[3]) or 0, c = tonumber(r[4]) or 0,
          u = tonumber(r[5]) or 0}
end

-- Places a new hold.
-- KEYS: idempotency, event log, hold, due index, [team,] n x bookings, n x responder records,
--       m x stock lines.
-- ARGV: the 6 common args, hold id, hold bytes, expires_ms, start_ms, end_ms, team_version
--       (0 = not a team hold: no team key), n, m, n x responder id, m x (stock line id, quantity).
local function place(keys, args)
  local c, bad_tail = common_args(keys, args)
  if not c then
    return bad_tail
  end
  local hold_id, hold_bytes, expires_ms = args[7], args[8], args[9]
  local start, finish, team_version = args[10], args[11], tonumber(args[12])
  local n, m = tonumber(args[13]), tonumber(args[14])
  if not team_version or not n or not m then
    return bad_call('relais_inv_place arguments')
  end
  local has_team = team_version > 0 and 1 or 0
  if #keys ~= 4 + has_team + 2 * n + m or #args ~= 14 + n + 2 * m then
    return bad_call('relais_inv_place arguments')
  end
  local idem_key, log_key, hold_key, due_key = keys[1], keys[2], keys[3], keys[4]
  local bk0, rsp0, stk0 = 4 + has_team, 4 + has_team + n, 4 + has_team + 2 * n
  local a_ids, a_lines = 14, 14 + n

  local replay = check_idempotency(idem_key, c.fingerprint)
  if replay then
    return replay
  end

  -- Checks.
  if redis.call('EXISTS', hold_key) == 1 then
    return redis.error_reply('RELAIS_VERSION_CONFLICT 0 ' ..
                             (redis.call('HGET', hold_key, 'v') or '?'))
  end
  if has_team == 1 then
    local found = tonumber(redis.call('HGET', keys[5], 'v')) or 0
    if found ~= team_version then
      return redis.error_reply(string.format('RELAIS_VERSION_CONFLICT %d %d', team_version, found))
    end
  end
  if not type_is(due_key, 'zset') or not type_is(log_key, 'stream') then
    return bad_call('due index or event log of the wrong type')
  end
  for i = 1, n do
    if redis.call('EXISTS', keys[rsp0 + i]) == 0 then
      return redis.error_reply('RELAIS_GONE responder ' .. args[a_ids + i])
    end
    if not type_is(keys[bk0 + i], 'zset') then
      return bad_call('bookings key is not a sorted set')
    end
    local found = booking_in_the_way(keys[bk0 + i], start, finish, nil)
    if found then
      return overlap_error(args[a_ids + i], found)
    end
  end
  -- A line named twice must cover both quantities.
  local wanted = {}
  for j = 1, m do
    local line_id, quantity = args[a_lines + 2 * j - 1], tonumber(args[a_lines + 2 * j])
    local key = keys[stk0 + j]
    local counters = read_counters(key)
    if not counters then
      return redis.error_reply('RELAIS_GONE stock_line ' .. line_id)
    end
    if not quantity or quantity < 1 then
      return bad_call('stock quantity')
    end
    wanted[key] = (wanted[key] or 0) + quantity
    if counters.a < wanted[key] then
      return redis.error_reply(string.format('RELAIS_SHORT %s %d', line_id, counters.a))
    end
  end

  -- Writes.
  redis.call('HSET', hold_key, 'v', '1', 'd', hold_bytes)
  redis.call('ZADD', due_key, expires_ms, hold_id)
  local member = finish .. ':' .. hold_id
  for i = 1, n do
    redis.call('ZADD', keys[bk0 + i], start, member)
  end
  for j = 1, m do
    local quantity = args[a_lines + 2 * j]
    redis.call('HINCRBY', keys[stk0 + j], 'a', '-' .. quantity)
    redis.call('HINCRBY', keys[stk0 + j], 'h', quantity)
  end
  return log_and_remember(idem_key, log_key, c)
end

-- Moves a hold from the version read to its next state.
-- KEYS: idempotency, event log, hold, due index, n x bookings, m x stock lines.
-- ARGV: the 6 common args, hold id, expected version, next hold bytes,
--       due op ('k' keep | 'r' remove), bookings op ('k' keep | 'r' remove | 'x' extend),
--       start_ms, end_ms (as booked), new_end_ms ('x' only, else ''), n, m,
--       n x responder id, m x (stock line id, delta available, delta held, delta committed,
--       delta consumed) with deltas summing to 0.
local function change(keys, args)
  local c, bad_tail = common_args(keys, args)
  if not c then
    return bad_tail
  end
  local hold_id, expected, next_bytes = args[7], tonumber(args[8]), args[9]
  local due_op, bookings_op = args[10], args[11]
  local start, finish, new_finish = args[12], args[13], args[14]
  local n, m = tonumber(args[15]), tonumber(args[16])
  if not expected or not n or not m then
    return bad_call('relais_inv_change arguments')
  end
  if #keys ~= 4 + n + m or #args ~= 16 + n + 5 * m then
    return bad_call('relais_inv_change arguments')
  end
  local idem_key, log_key, hold_key, due_key = keys[1], keys[2], keys[3], keys[4]
  local a_ids, a_lines = 16, 16 + n

  local replay = check_idempotency(idem_key, c.fingerprint)
  if replay then
    return replay
  end

  -- Checks.
  local found = tonumber(redis.call('HGET', hold_key, 'v')) or 0
  if found ~= expected then
    return redis.error_reply(string.format('RELAIS_VERSION_CONFLICT %d %d', expected, found))
  end
  if not type_is(due_key, 'zset') or not type_is(log_key, 'stream') then
    return bad_call('due index or event log of the wrong type')
  end
  local own = finish .. ':' .. hold_id
  if bookings_op == 'x' then
    if not tonumber(new_finish) or tonumber(new_finish) <= tonumber(finish) then
      return bad_call('extension end')
    end
    for i = 1, n do
      local in_the_way = booking_in_the_way(keys[4 + i], start, new_finish, own)
      if in_the_way then
        return overlap_error(args[a_ids + i], in_the_way)
      end
    end
  elseif bookings_op ~= 'k' and bookings_op ~= 'r' then
    return bad_call('bookings op')
  end
  -- Deltas summed per line (a line named twice gets both), checked against its counters.
  local deltas, counters, line_ids = {}, {}, {}
  for j = 1, m do
    local base = a_lines + 5 * (j - 1)
    local key = keys[4 + n + j]
    local d = {a = tonumber(args[base + 2]), h = tonumber(args[base + 3]),
               c = tonumber(args[base + 4]), u = tonumber(args[base + 5])}
    if not d.a or not d.h or not d.c or not d.u or d.a + d.h + d.c + d.u ~= 0 then
      return bad_call('stock deltas')
    end
    if not deltas[key] then
      counters[key] = read_counters(key)
      if not counters[key] then
        return redis.error_reply('RELAIS_GONE stock_line ' .. args[base + 1])
      end
      deltas[key] = {a = 0, h = 0, c = 0, u = 0}
      line_ids[key] = args[base + 1]
    end
    for field, delta in pairs(d) do
      deltas[key][field] = deltas[key][field] + delta
    end
  end
  for key, d in pairs(deltas) do
    for field, delta in pairs(d) do
      if counters[key][field] + delta < 0 then
        return redis.error_reply('RELAIS_LEDGER_BROKEN ' .. line_ids[key])
      end
    end
  end

  -- Writes.
  redis.call('HSET', hold_key, 'v', string.format('%d', expected + 1), 'd', next_bytes)
  if due_op == 'r' then
    redis.call('ZREM', due_key, hold_id)
  end
  for i = 1, n do
    local key = keys[4 + i]
    if bookings_op == 'r' then
      redis.call('ZREM', key, own)
    elseif bookings_op == 'x' then
      redis.call('ZREM', key, own)
      redis.call('ZADD', key, start, new_finish .. ':' .. hold_id)
    end
  end
  for key, d in pairs(deltas) do
    for _, field in ipairs({'a', 'h', 'c', 'u'}) do
      if d[field] ~= 0 then
        redis.call('HINCRBY', key, field, string.format('%d', d[field]))
      end
    end
  end
  return log_and_remember(idem_key, log_key, c)
end

-- Adds a delta to a stock line's available and adjusted counters.
-- KEYS: idempotency, event log, stock line. ARGV: the 6 common args, stock line id, delta.
local function adjust(keys, args)
  local c, bad_tail = common_args(keys, args)
  if not c then
    return bad_tail
  end
  local line_id, delta = args[7], tonumber(args[8])
  if #keys ~= 3 or #args ~= 8 or not delta then
    return bad_call('relais_inv_adjust arguments')
  end
  local idem_key, log_key, line_key = keys[1], keys[2], keys[3]

  local replay = check_idempotency(idem_key, c.fingerprint)
  if replay then
    return replay
  end

  local counters = read_counters(line_key)
  if not counters then
    return redis.error_reply('RELAIS_NOT_FOUND ' .. line_id)
  end
  if counters.a + delta < 0 then
    return redis.error_reply(string.format('RELAIS_SHORT %s %d', line_id, counters.a))
  end
  if not type_is(log_key, 'stream') then
    return bad_call('event log of the wrong type')
  end

  redis.call('HINCRBY', line_key, 'a', args[8])
  redis.call('HINCRBY', line_key, 'j', args[8])
  return log_and_remember(idem_key, log_key, c)
end

redis.register_function('relais_inv_place', place)
redis.register_function('relais_inv_change', change)
redis.register_function('relais_inv_adjust', adjust)
redis.register_function{
  function_name = 'relais_inventory_version',
  callback = function() return VERSION end,
  flags = {'no-writes'},
}
