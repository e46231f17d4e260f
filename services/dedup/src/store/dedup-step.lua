--[[
dedup-step.lua: the whole dedup state change for ONE alert, atomically.
The pure reference model is services/dedup/src/window-model.ts; both must agree
(tests/integration/dedup-lua.test.ts runs the same sequences through both).

KEYS (all carry the tenant as a hash tag, so they share a slot):
  KEYS[1] window hash  vigil:dedup:{<tenant>}:<fingerprint>
          cid (canonical alert id), ct (canonical event time = window anchor),
          wend (window end, exclusive), n (count), first, last (first/last seen),
          touched (worker clock of the last change to the window)
  KEYS[2] decisions    vigil:dedup:{<tenant>}:<fingerprint>:ids   hash alert id -> recorded decision
  KEYS[3] seen         vigil:dedup:{<tenant>}:<fingerprint>:seen  zset alert id -> worker clock when last decided
  KEYS[4] closed       vigil:dedup:{<tenant>}:<fingerprint>:closed hash canonical id -> 'ct|n|first|last|closedAt'
          of windows replaced by a newer one, kept for keep after closing

ARGV:
  ARGV[1] alert id
  ARGV[2] alert event time (epoch ms, integer)
  ARGV[3] window length (ms, > 0)
  ARGV[4] allowed lateness (ms, >= 0)
  ARGV[5] now: the worker's clock (epoch ms). The script never reads the Redis clock,
          so its decisions are a function of its arguments and the stored state.

Returns an array of strings:
  {'canonical', replay}                                    forward the alert: it opened a window
  {'late', replay}                                         forward the alert on its own: older than
                                                           the window's start minus the lateness
  {'duplicate', replay, cid, ct, n, first, last}          suppress; absolute values of the window
  replay is '1' when the alert id had been decided before (a redelivery): the recorded
  decision is returned again and nothing is counted. A redelivered duplicate carries its
  window's latest values (the live window's, or the closed window's final ones), never
  older ones, so a lagging or replaying consumer cannot move a canonical alert back.

Retention: keep = window + lateness. A window is live while touched + keep > now; an
alert id is remembered while its seen score + keep > now (refreshed on every redelivery).
Key TTLs (keep + a grace minute, Redis clock) only collect garbage; correctness never
depends on them.
]]

local id = ARGV[1]
local t = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local lateness = tonumber(ARGV[4])
local now = tonumber(ARGV[5])
local keep = window + lateness
local grace = 60000

-- Lua 5.1 prints large numbers in exponent form; times must round-trip exactly.
local function int(x)
  return string.format('%.0f', x)
end

local function remember(recorded)
  redis.call('HSET', KEYS[2], id, recorded)
  redis.call('ZADD', KEYS[3], int(now), id)
end

local function collect_and_expire()
  -- Forget alert ids no longer remembered; bounded per call, the rest goes next time.
  local stale = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', int(now - keep), 'LIMIT', 0, 100)
  if #stale > 0 then
    redis.call('HDEL', KEYS[2], unpack(stale))
    redis.call('ZREM', KEYS[3], unpack(stale))
  end
  for i = 1, 4 do
    redis.call('PEXPIRE', KEYS[i], int(keep + grace))
  end
end

local w = redis.call('HMGET', KEYS[1], 'cid', 'ct', 'wend', 'n', 'first', 'last', 'touched')

-- The latest values of window `cid`: live (or last) window, else a closed one, else nil.
local function latest(cid)
  if w[1] == cid then
    return w[2], w[4], w[5], w[6]
  end
  local closed = redis.call('HGET', KEYS[4], cid)
  if closed then
    return string.match(closed, '^(%-?%d+)|(%d+)|(%-?%d+)|(%-?%d+)|')
  end
  return nil
end

local function replayed(recorded)
  if recorded == 'canonical' or recorded == 'late' then
    return { recorded, '1' }
  end
  local ct, n, first, last, cid = string.match(recorded, '^duplicate|(%-?%d+)|(%d+)|(%-?%d+)|(%-?%d+)|(.*)$')
  local lct, ln, lfirst, llast = latest(cid)
  if lct then
    return { 'duplicate', '1', cid, lct, ln, lfirst, llast }
  end
  return { 'duplicate', '1', cid, ct, n, first, last }
end

-- 1. A remembered alert id gets its recorded decision again.
local seen = redis.call('ZSCORE', KEYS[3], id)
if seen and tonumber(seen) + keep > now then
  local recorded = redis.call('HGET', KEYS[2], id)
  if recorded then
    redis.call('ZADD', KEYS[3], int(now), id)
    collect_and_expire()
    return replayed(recorded)
  end
end

local live = w[1] and (tonumber(w[7]) + keep > now)

-- 2. The canonical alert of the live window is canonical again, even if its own
--    memory lapsed while duplicates kept the window alive.
if live and w[1] == id then
  remember('canonical')
  collect_and_expire()
  return { 'canonical', '1' }
end

local ct = live and tonumber(w[2])
local result
if live and t >= ct - lateness and t < tonumber(w[3]) then
  -- 3. Within the window (or before its anchor by at most the lateness): count it.
  local n = tonumber(w[4]) + 1
  local first = math.min(tonumber(w[5]), t)
  local last = math.max(tonumber(w[6]), t)
  redis.call('HSET', KEYS[1], 'n', int(n), 'first', int(first), 'last', int(last), 'touched', int(now))
  result = { 'duplicate', '0', w[1], w[2], int(n), int(first), int(last) }
  remember('duplicate|' .. w[2] .. '|' .. int(n) .. '|' .. int(first) .. '|' .. int(last) .. '|' .. w[1])
elseif live and t < ct - lateness then
  -- 4. Too late for the live window: forwarded on its own, the window is untouched.
  result = { 'late', '0' }
  remember('late')
else
  -- 5. No live window, or at/after its end: this alert opens a new window. The old
  --    window's final values stay for redelivered duplicates; long-closed ones go.
  if w[1] then
    local closed = redis.call('HGETALL', KEYS[4])
    for i = 1, #closed, 2 do
      local closed_at = tonumber(string.match(closed[i + 1], '|(%-?%d+)$'))
      if closed_at + keep <= now then
        redis.call('HDEL', KEYS[4], closed[i])
      end
    end
    redis.call('HSET', KEYS[4], w[1], w[2] .. '|' .. w[4] .. '|' .. w[5] .. '|' .. w[6] .. '|' .. int(now))
  end
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'cid', id, 'ct', int(t), 'wend', int(t + window), 'n', '1', 'first', int(t), 'last', int(t), 'touched', int(now))
  result = { 'canonical', '0' }
  remember('canonical')
end
collect_and_expire()
return result
