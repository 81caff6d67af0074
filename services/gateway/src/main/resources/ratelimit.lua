-- Two token buckets, the caller's and the tenant's, checked and charged in one atomic step. A gateway replica may ask
-- for several tokens at once (a lease) and spend them locally; it gets as many as both buckets can give, up to that.
-- KEYS[1] principal bucket, KEYS[2] tenant bucket (hashes: tokens, ts)
-- ARGV: principal capacity, principal tokens per ms, tenant capacity, tenant tokens per ms, key ttl ms, tokens wanted
-- Returns {tokens granted, principal tokens left, tenant tokens left, ms until a token is available}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local function level(key, capacity, rate)
  local v = redis.call('HMGET', key, 'tokens', 'ts')
  local tokens, ts = tonumber(v[1]), tonumber(v[2])
  if tokens == nil or ts == nil then
    return capacity
  end
  local filled = tokens + math.max(0, now - ts) * rate
  if filled > capacity then
    filled = capacity
  end
  return filled
end

local pcap, prate = tonumber(ARGV[1]), tonumber(ARGV[2])
local tcap, trate = tonumber(ARGV[3]), tonumber(ARGV[4])
local ttl = tonumber(ARGV[5])
local wanted = tonumber(ARGV[6])

local p = level(KEYS[1], pcap, prate)
local q = level(KEYS[2], tcap, trate)
local granted = math.min(wanted, math.floor(p), math.floor(q))
if granted < 0 then
  granted = 0
end
p = p - granted
q = q - granted
redis.call('HSET', KEYS[1], 'tokens', p, 'ts', now)
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('HSET', KEYS[2], 'tokens', q, 'ts', now)
redis.call('PEXPIRE', KEYS[2], ttl)

local wait = 0
if granted == 0 then
  if p < 1 then wait = math.max(wait, math.ceil((1 - p) / prate)) end
  if q < 1 then wait = math.max(wait, math.ceil((1 - q) / trate)) end
end
return {granted, tostring(p), tostring(q), wait}
