--[[
  Record the response of a claimed idempotency key, or release the claim.

  KEYS[1]  vigil:idem:{<tenant>}:<key>
  ARGV[1]  payload hash the claim was made with (guards against a foreign claim)
  ARGV[2]  'store' | 'release'
  ARGV[3]  HTTP status (store only)
  ARGV[4]  response body JSON (store only)
  ARGV[5]  TTL in ms for the stored response (store only)

  Returns 1 if the key was changed, 0 if the claim was no longer ours.
]]
if redis.call('HGET', KEYS[1], 'hash') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'state') ~= 'pending' then
  return 0
end
if ARGV[2] == 'release' then
  redis.call('DEL', KEYS[1])
  return 1
end
redis.call('HSET', KEYS[1], 'state', 'done', 'status', ARGV[3], 'body', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
