/**
 * Lua scripts of the {@link FeatureStore}. One script call per alert keeps read-then-write atomic, so
 * concurrent scoring workers never double-count, and a batch becomes one pipelined round trip.
 *
 * Key layout (all keys of a tenant share the hash tag `{tenant}`, so one script touches one cluster slot):
 *   KEYS[1]  alert record (hash: v = stored vector, fb = feedback key, r = resolve seen, o = outcome)
 *   KEYS[2]  fingerprint firings  (zset id → startsAt)
 *   KEYS[3]  fingerprint resolves (zset "<durationMs>:<id>" → resolve time)
 *   KEYS[4]  fingerprint summary  (hash first/fire = first/last firing, res/dur = last resolve, its duration)
 *   KEYS[5]  fingerprint flaps    (zset id → startsAt of a firing within the flap window of a resolve)
 *   KEYS[6]  rule firings         (zset id → startsAt), rule = tenant + name
 *   KEYS[7]  service fingerprints (zset fingerprint → latest startsAt)
 *   KEYS[8]  service severe       (zset id → startsAt, critical and error only)
 *   KEYS[9]  tenant firings       (zset id → startsAt)
 *   KEYS[10] name+service firings (zset id → startsAt, every source)
 *   KEYS[11] name+service+source firings (zset id → startsAt)
 *   KEYS[12] rule feedback        (hash actionable / noise counters), rule = name + service
 * The out-of-order co-firing correction reads other fingerprints' firing sets by name (same slot, so
 * valid on a cluster too).
 */
export const OBSERVE_LUA = `
local status = ARGV[1]
local id = ARGV[2]
local t = tonumber(ARGV[3])
local resolveAt = tonumber(ARGV[4])
local durationMs = ARGV[5]
local severe = ARGV[6] == '1'
local fp = ARGV[7]
local fpPrefix = ARGV[8]
local static = ARGV[9]
local recordTtl = ARGV[10]
local stateTtl = ARGV[11]
local lateness = tonumber(ARGV[12])
local maxSetSize = tonumber(ARGV[13])
local lateScan = tonumber(ARGV[14])
local wFp1 = tonumber(ARGV[15])
local wFp24 = tonumber(ARGV[16])
local wFlap = tonumber(ARGV[17])
local wRule1 = tonumber(ARGV[18])
local wRule24 = tonumber(ARGV[19])
local wSvc5 = tonumber(ARGV[20])
local wSvc30 = tonumber(ARGV[21])
local wSevere = tonumber(ARGV[22])
local wTenant = tonumber(ARGV[23])
local wDup = tonumber(ARGV[24])

local function fmt(n) return string.format('%d', n) end

-- Drop members older than this event minus the key's retention (never more than "newest event minus
-- retention" would, so late events lose nothing), cap the size, refresh the TTL.
local function trim(key, retention)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. fmt(t - retention - lateness))
  local size = redis.call('ZCARD', key)
  if size > maxSetSize then
    redis.call('ZREMRANGEBYRANK', key, 0, size - maxSetSize - 1)
  end
  redis.call('PEXPIRE', key, stateTtl)
end

-- The hot sets (KEYS[2] and KEYS[6] to KEYS[11]) are trimmed by event time lazily, when the caller flags a
-- key for upkeep (ARGV[25]: fire, summary, rule, svc, severe, tenant, dup, dupsrc; the caller flags each
-- key at least once per hour and every few writes) or when the key is empty in its window. Their content is
-- still read exactly as the eager trim above would have left it: a window [t - w, t] of an event no later than
-- allowedLateness behind the tenant's newest firing cannot reach below any set's eager trim point, events
-- later than that trim the sets eagerly first, and open-ended reads clamp at the trim point. Likewise the size
-- cap: a set read in event-time order saturates only when the window count reaches the cap (then it is capped
-- first); sets read out of order are capped first.
local flags = ARGV[25] or ''
local negCap = -(maxSetSize + 1)

local function capSet(key) redis.call('ZREMRANGEBYRANK', key, 0, negCap) end

if status == 'resolved' then
  if redis.call('HEXISTS', KEYS[1], 'r') == 1 then return {'', 1} end
  redis.call('ZADD', KEYS[3], fmt(resolveAt), durationMs .. ':' .. id)
  local sm = redis.call('HMGET', KEYS[4], 'res', 'fire', 'fl')
  local fields = {}
  if (not sm[1]) or resolveAt >= tonumber(sm[1]) then
    fields[#fields + 1] = 'res'; fields[#fields + 1] = fmt(resolveAt)
    fields[#fields + 1] = 'dur'; fields[#fields + 1] = durationMs
  end
  -- Firings that arrived before this (late) resolve but started within the flap window after it.
  local low = '(' .. fmt(resolveAt)
  if sm[2] then
    local floor = tonumber(sm[2]) - wFp24 - lateness
    if floor > resolveAt then low = fmt(floor) end
  end
  local function laterFirings()
    return redis.call('ZRANGEBYSCORE', KEYS[2], low, fmt(resolveAt + wFlap), 'WITHSCORES', 'LIMIT', 0, lateScan)
  end
  local later = laterFirings()
  if later[1] then
    capSet(KEYS[2])
    later = laterFirings()
  end
  local flapMax = tonumber(sm[3])
  for i = 1, #later, 2 do
    redis.call('ZADD', KEYS[5], later[i + 1], later[i])
    local score = tonumber(later[i + 1])
    if (not flapMax) or score > flapMax then flapMax = score end
  end
  if later[1] and flapMax ~= tonumber(sm[3]) then
    fields[#fields + 1] = 'fl'; fields[#fields + 1] = fmt(flapMax)
  end
  if fields[1] then redis.call('HSET', KEYS[4], unpack(fields)) end
  t = math.max(t, resolveAt)
  trim(KEYS[3], wFp24)
  trim(KEYS[5], wFp24)
  redis.call('PEXPIRE', KEYS[4], stateTtl)
  redis.call('HSET', KEYS[1], 'r', '1')
  redis.call('PEXPIRE', KEYS[1], recordTtl)
  return {'', 0}
end

local stored = redis.call('HGET', KEYS[1], 'v')
if stored then return {stored, 1} end

-- Newest firing of the tenant: no hot set holds a later event.
local newest = tonumber(redis.call('ZREVRANGE', KEYS[9], 0, 0, 'WITHSCORES')[2])
local ordered = newest ~= nil and t >= newest
local tooLate = newest == nil or t < newest - lateness

-- Trims a set by event time exactly as far as the eager trims of its earlier writes had.
local function eagerTrim(key, retention)
  local top = redis.call('ZREVRANGE', key, 0, 0, 'WITHSCORES')
  if top[2] then
    redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. fmt(tonumber(top[2]) - retention - lateness))
  end
end
local function prepare(key, retention)
  if tooLate then eagerTrim(key, retention) end
  if not ordered then capSet(key) end
end
prepare(KEYS[2], wFp24)
prepare(KEYS[6], wRule24)
prepare(KEYS[7], wSvc30)
prepare(KEYS[8], wSevere)
prepare(KEYS[9], wTenant)
prepare(KEYS[10], wDup)
prepare(KEYS[11], wDup)

local function count(key, w) return redis.call('ZCOUNT', key, fmt(t - w), fmt(t)) end
-- Count of a set's longest window; in order, a count at the cap means the set may have to saturate.
local saturated = {}
local function longCount(key, w)
  local c = count(key, w)
  if ordered and c >= maxSetSize then
    capSet(key)
    saturated[key] = true
    c = count(key, w)
  end
  return c
end

local fp24 = longCount(KEYS[2], wFp24)
local fp1 = 0
if fp24 > 0 then fp1 = count(KEYS[2], wFp1) end

local summary = redis.call('HMGET', KEYS[4], 'first', 'fire', 'res', 'dur', 'fl')
-- Time since the previous firing: -1 never fired before, -2 fired before but longer ago than we keep.
local sincePrev = -1
local lastFire = tonumber(summary[2])
if lastFire and lastFire <= t then
  sincePrev = t - lastFire -- the newest firing is the previous one
else
  local floor = '-inf'
  if lastFire then floor = fmt(lastFire - wFp24 - lateness) end
  local prev = redis.call('ZREVRANGEBYSCORE', KEYS[2], fmt(t), floor, 'WITHSCORES', 'LIMIT', 0, 1)
  if prev[2] then
    sincePrev = t - tonumber(prev[2])
  elseif summary[1] and tonumber(summary[1]) < t then
    sincePrev = -2
  end
end

-- The previous resolve at or before t gives the previous occurrence's duration and the flap test.
local resolvedAt = nil
local prevDuration = '-1'
if summary[3] then
  local res = redis.call('ZREVRANGEBYSCORE', KEYS[3], fmt(t), '-inf', 'WITHSCORES', 'LIMIT', 0, 1)
  if res[2] then
    resolvedAt = tonumber(res[2])
    prevDuration = string.match(res[1], '^(-?%d+):')
  elseif tonumber(summary[3]) <= t then
    resolvedAt = tonumber(summary[3])
    prevDuration = summary[4] or '-1'
  end
end
local isFlap = resolvedAt ~= nil and t - resolvedAt <= wFlap
if isFlap then
  redis.call('ZADD', KEYS[5], fmt(t), id)
end
-- summary.fl is the newest flap ever recorded: no flap in the window when it is older.
local flapMax = tonumber(summary[5])
local flaps = 0
if isFlap or (flapMax and flapMax >= t - wFp24) then flaps = count(KEYS[5], wFp24) end

local rule24 = longCount(KEYS[6], wRule24)
local rule1 = 0
if rule24 > 0 then rule1 = count(KEYS[6], wRule1) end

-- Distinct other fingerprints of the service firing in a window: the set holds each fingerprint's latest
-- firing, exact for in-order streams; fingerprints whose latest firing is after t (out-of-order arrival)
-- are checked against their own firing sets.
local svcFetch = 64
local svc5, svc30, svcRaw, own, newer
local function readService()
  local entries = redis.call('ZRANGEBYSCORE', KEYS[7], fmt(t - wSvc30), '+inf', 'WITHSCORES', 'LIMIT', 0, svcFetch)
  svc5, svc30, own, newer = 0, 0, nil, {}
  if #entries < 2 * svcFetch then
    for i = 1, #entries, 2 do
      local member, score = entries[i], tonumber(entries[i + 1])
      if score <= t then
        svc30 = svc30 + 1
        if score >= t - wSvc5 then svc5 = svc5 + 1 end
      elseif #newer < lateScan then
        newer[#newer + 1] = member
      end
      if member == fp then own = score end
    end
  else
    svc5 = count(KEYS[7], wSvc5)
    svc30 = count(KEYS[7], wSvc30)
    own = tonumber(redis.call('ZSCORE', KEYS[7], fp))
    newer = redis.call('ZRANGEBYSCORE', KEYS[7], '(' .. fmt(t), '+inf', 'LIMIT', 0, lateScan)
  end
  svcRaw = svc30
end
readService()
if ordered and svcRaw >= maxSetSize then
  capSet(KEYS[7])
  saturated[KEYS[7]] = true
  readService()
end
if own then
  if own <= t and own >= t - wSvc5 then svc5 = svc5 - 1 end
  if own <= t and own >= t - wSvc30 then svc30 = svc30 - 1 end
end
for _, other in ipairs(newer) do
  if other ~= fp then
    local key = fpPrefix .. other .. ':fire'
    if tooLate then eagerTrim(key, wFp24) end
    capSet(key)
    local latest = redis.call('ZREVRANGEBYSCORE', key, fmt(t), fmt(t - wSvc30), 'WITHSCORES', 'LIMIT', 0, 1)
    if latest[2] then
      svc30 = svc30 + 1
      if tonumber(latest[2]) >= t - wSvc5 then svc5 = svc5 + 1 end
    end
  end
end

local severeCount = longCount(KEYS[8], wSevere)
local tenantCount = longCount(KEYS[9], wTenant)
local dupAll = longCount(KEYS[10], wDup)
local dupSame = 0
if dupAll > 0 or not ordered then dupSame = longCount(KEYS[11], wDup) end
local dup = dupAll - dupSame
local feedback = redis.call('HMGET', KEYS[12], 'actionable', 'noise')

local raw = table.concat({
  fp1, fp24, flaps, fmt(sincePrev), prevDuration, rule1, rule24, svc5, svc30, severeCount, tenantCount, dup,
  feedback[1] or '0', feedback[2] or '0'
}, ',')
local vector = static .. '|' .. raw

-- State updates, after every read so the alert never counts itself.
local ts = fmt(t)
redis.call('ZADD', KEYS[2], ts, id)
local fields = {}
if not summary[1] then
  fields = {'first', ts, 'fire', ts}
elseif t < tonumber(summary[1]) then
  fields = {'first', ts}
elseif t > lastFire then
  fields = {'fire', ts}
end
if isFlap and ((not flapMax) or t > flapMax) then
  fields[#fields + 1] = 'fl'; fields[#fields + 1] = ts
end
if fields[1] then redis.call('HSET', KEYS[4], unpack(fields)) end
if flags:sub(2, 2) == '1' or isFlap or not summary[1] then redis.call('PEXPIRE', KEYS[4], stateTtl) end
redis.call('ZADD', KEYS[6], ts, id)
redis.call('ZADD', KEYS[7], 'GT', ts, fp)
if severe then redis.call('ZADD', KEYS[8], ts, id) end
redis.call('ZADD', KEYS[9], ts, id)
redis.call('ZADD', KEYS[10], ts, id)
redis.call('ZADD', KEYS[11], ts, id)

-- Upkeep of a written hot set: keep it capped once saturated; trim, cap and refresh its TTL when flagged
-- or when its window was empty (a new key gets its TTL here).
local function upkeep(flag, key, retention, c)
  if flags:sub(flag, flag) == '1' or c == 0 then
    redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. fmt(t - retention - lateness))
    capSet(key)
    redis.call('PEXPIRE', key, stateTtl)
  elseif saturated[key] then
    capSet(key)
  end
end
upkeep(1, KEYS[2], wFp24, fp24)
if isFlap then trim(KEYS[5], wFp24) end
upkeep(3, KEYS[6], wRule24, rule24)
upkeep(4, KEYS[7], wSvc30, svcRaw)
if severe then upkeep(5, KEYS[8], wSevere, severeCount) end
upkeep(6, KEYS[9], wTenant, tenantCount)
upkeep(7, KEYS[10], wDup, dupAll)
upkeep(8, KEYS[11], wDup, dupSame)

redis.call('HSET', KEYS[1], 'v', vector, 'fb', KEYS[12])
redis.call('PEXPIRE', KEYS[1], recordTtl)
return {vector, 0}
`;

/**
 * Records an outcome against the rule of the alert it belongs to. Idempotent: the same outcome twice
 * counts once; a corrected outcome moves the count. The feedback key is read from the alert record
 * (same hash tag as KEYS[1]).
 */
export const OUTCOME_LUA = `
local fb = redis.call('HGET', KEYS[1], 'fb')
if not fb then return 'unknown-alert' end
local prev = redis.call('HGET', KEYS[1], 'o')
if prev == ARGV[1] then return 'unchanged' end
redis.call('HINCRBY', fb, ARGV[1], 1)
if prev then redis.call('HINCRBY', fb, prev, -1) end
redis.call('HSET', KEYS[1], 'o', ARGV[1])
redis.call('PEXPIRE', fb, ARGV[2])
if prev then return 'changed' end
return 'recorded'
`;
