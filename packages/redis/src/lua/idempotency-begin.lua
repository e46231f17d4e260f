--[[
  Claim an idempotency key, or report what an earlier request with it did.

  KEYS[1]  vigil:idem:{<tenant>}:<key>   hash: state, hash, status, body
  ARGV[1]  payload hash (hex sha256 of the canonical JSON request)
  ARGV[2]  pending TTL in ms (how long a crashed request may block retries)

  Returns one of:
    {'new'}                         the key is ours; process the request
    {'in_flight'}                   same key, same payload, still being processed
    {'mismatch'}                    same key, different payload
    {'done', status, body}          same key, same payload, finished: replay this
]]
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  redis.call('HSET', KEYS[1], 'state', 'pending', 'hash', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {'new'}
end
if redis.call('HGET', KEYS[1], 'hash') ~= ARGV[1] then
  return {'mismatch'}
end
if state == 'pending' then
  return {'in_flight'}
end
return {'done', redis.call('HGET', KEYS[1], 'status'), redis.call('HGET', KEYS[1], 'body')}
