import { FEATURE_WINDOWS } from './feature-schema.js';

/**
 * Lua scripts of the {@link FeatureStore}. One script call per alert keeps read-then-write atomic, so
 * concurrent scoring workers never double-count, and a batch becomes one pipelined round trip.
 *
 * The observe script declares one key, the alert record, and builds the names of the others from the
 * tenant's key prefix and the alert's encoded parts (ARGV): encoding thirteen full key names per call was
 * the scoring worker's largest allocation (in ioredis). Every key of a tenant shares the hash tag
 * `{tenant}` of the prefix, so every key the script touches is in the declared key's cluster slot.
 *
 * Key layout (p = ARGV[8], the prefix `<keyPrefix>:{tenant}:`; fp, name, service, source encoded):
 *   KEYS[1]                    alert record (hash: v = stored vector, fb = the rule's feedback key prefix,
 *                              s = startsAt, r = resolve seen, o = outcome kind)
 *   p fp:<fp>:fire             fingerprint firings  (zset id → startsAt)
 *   p fp:<fp>:res              fingerprint resolves (zset "<durationMs>:<id>" → resolve time)
 *   p fp:<fp>:last             fingerprint summary  (hash first/fire = first/last firing, res/dur = last
 *                              resolve, its duration, fl = newest score ever added to the flap set)
 *   p fp:<fp>:flap             fingerprint flaps    (zset id → startsAt of a firing within the flap window
 *                              of a resolve)
 *   p rule:<name>              rule firings         (zset id → startsAt), rule = tenant + name
 *   p svc:<service>:fps        service fingerprints (zset fingerprint → latest startsAt)
 *   p svc:<service>:severe     service severe       (zset id → startsAt, critical and error only)
 *   p firing                   tenant firings       (zset id → startsAt)
 *   p dup:<name>|<service>     name+service firings (zset id → startsAt, every source)
 *   p dup:<name>|<service>|<source>  name+service+source firings (zset id → startsAt)
 *   fb actionable              rule actionable outcomes (zset alert id → outcome time `at`), rule = name +
 *                              service, fb = p outcomes:<name>|<service>: (stored in the record)
 *   fb noise                   rule noise outcomes      (zset alert id → outcome time `at`). An alert counts
 *                              the outcomes with `at` in [startsAt − feedback window, startsAt): event time,
 *                              whatever order outcomes were processed in.
 * The out-of-order co-firing correction also reads other fingerprints' firing sets (`p fp:<other>:fire`).
 */
export const OBSERVE_LUA = `
local status = ARGV[1]
local id = ARGV[2]
local t = tonumber(ARGV[3])
local resolveAt = tonumber(ARGV[4])
local durationMs = ARGV[5]
local severe = ARGV[6] == '1'
local fp = ARGV[7]
local prefix = ARGV[8]
local static = ARGV[9]
local recordTtl = ARGV[10]
local stateTtl = ARGV[11]
local lateness = tonumber(ARGV[12])
local maxSetSize = tonumber(ARGV[13])
-- The schema's windows are part of the script, not arguments: no per-call transfer and parsing.
local wFp1 = ${FEATURE_WINDOWS.fingerprintShort}
local wFp24 = ${FEATURE_WINDOWS.fingerprintLong}
local wFlap = ${FEATURE_WINDOWS.flap}
local wRule1 = ${FEATURE_WINDOWS.ruleShort}
local wRule24 = ${FEATURE_WINDOWS.ruleLong}
local wSvc5 = ${FEATURE_WINDOWS.serviceCoFiringShort}
local wSvc30 = ${FEATURE_WINDOWS.serviceCoFiringLong}
local wSevere = ${FEATURE_WINDOWS.serviceSevere}
local wTenant = ${FEATURE_WINDOWS.tenantStorm}
local wDup = ${FEATURE_WINDOWS.duplicate}
local wFeedback = ${FEATURE_WINDOWS.ruleFeedback}

local function fmt(n) return string.format('%d', n) end

-- Key TTLs are refreshed when the caller flags a key (ARGV[15], one flag per group of keys always written
-- together: fingerprint (fire set and summary), rule, service (fingerprints and severe sets), tenant, dup,
-- dupsrc; each process flags a key at least once per hour and every few writes, and the TTL it sets is an
-- hour longer than stateTtlMs) and whenever a key may be new (nothing in its window): every key lives at
-- least stateTtlMs after its last write without a PEXPIRE per write.
local flags = ARGV[15] or ''
local name = ARGV[16]
local service = ARGV[17]
local source = ARGV[18]
-- Strings, not numbers: a number argument of redis.call is formatted with %.14g, which costs more.
local negCap = fmt(-(maxSetSize + 1))

-- Trims after a write that added new members: drop members older than this event minus the key's retention
-- (never more than "newest event minus retention" would, so late events lose nothing), then cap the size
-- (ZREMRANGEBYRANK 0 -(cap+1) drops exactly the members beyond the newest maxSetSize). Every write keeps a
-- set within the cap, so when the time trim removed at least as many members as the write added the set is
-- still within it and the cap needs no command.
local function trimOnly(key, retention, added)
  local removed = redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. fmt(t - retention - lateness))
  if added > removed then redis.call('ZREMRANGEBYRANK', key, '0', negCap) end
end

-- trimOnly() and a TTL refresh.
local function trim(key, retention, added)
  trimOnly(key, retention, added)
  redis.call('PEXPIRE', key, stateTtl)
end

-- Names of the alert's fingerprint keys, built once the call is known not to be a replay.
local function fpKey(kind) return prefix .. 'fp:' .. fp .. ':' .. kind end
local fireKey, resKey, summaryKey, flapKey

if status == 'resolved' then
  local rec = redis.call('HMGET', KEYS[1], 'r', 's')
  if rec[1] then return {'', 1} end
  fireKey, resKey, summaryKey, flapKey = fpKey('fire'), fpKey('res'), fpKey('last'), fpKey('flap')
  -- The occurrence lasted from its firing, recorded under the same alert id, to this resolve. Many resolves
  -- carry no start of their own (a PagerDuty resolve, a replayed line whose startsAt is the moment it
  -- resolved); the payload's endsAt - startsAt counts only when the firing is not on record.
  local firedAt = tonumber(rec[2])
  if firedAt and firedAt <= resolveAt then durationMs = fmt(resolveAt - firedAt) end
  local addedRes = redis.call('ZADD', resKey, fmt(resolveAt), durationMs .. ':' .. id)
  local sm = redis.call('HMGET', summaryKey, 'res', 'fl')
  local fields = {}
  if (not sm[1]) or resolveAt >= tonumber(sm[1]) then
    fields = {'res', fmt(resolveAt), 'dur', durationMs}
  end
  -- Firings that arrived before this (late) resolve but started within the flap window after it.
  local later = redis.call('ZRANGEBYSCORE', fireKey, '(' .. fmt(resolveAt), fmt(resolveAt + wFlap), 'WITHSCORES', 'LIMIT', '0', ARGV[14])
  local flapMax = tonumber(sm[2])
  local addedFlaps = 0
  for i = 1, #later, 2 do
    addedFlaps = addedFlaps + redis.call('ZADD', flapKey, later[i + 1], later[i])
    local score = tonumber(later[i + 1])
    if (not flapMax) or score > flapMax then flapMax = score end
  end
  -- summary.fl: the newest score ever added to the flap set.
  if flapMax and flapMax ~= tonumber(sm[2]) then
    fields[#fields + 1] = 'fl'; fields[#fields + 1] = fmt(flapMax)
  end
  if fields[1] then redis.call('HSET', summaryKey, unpack(fields)) end
  t = math.max(t, resolveAt)
  trim(resKey, wFp24, addedRes)
  -- Without summary.fl no flap was ever recorded (the summary outlives the flap set: every refresh of the
  -- set's TTL refreshes the summary's too), so there is no flap set to trim.
  if flapMax then trim(flapKey, wFp24, addedFlaps) end
  redis.call('PEXPIRE', summaryKey, stateTtl)
  redis.call('HSET', KEYS[1], 'r', '1')
  redis.call('PEXPIRE', KEYS[1], recordTtl)
  return {'', 0}
end

local stored = redis.call('HGET', KEYS[1], 'v')
if stored then return {stored, 1} end

fireKey, resKey, summaryKey, flapKey = fpKey('fire'), fpKey('res'), fpKey('last'), fpKey('flap')
local ruleKey = prefix .. 'rule:' .. name
local svcKey = prefix .. 'svc:' .. service .. ':fps'
local severeKey = prefix .. 'svc:' .. service .. ':severe'
local tenantKey = prefix .. 'firing'
local dupKey = prefix .. 'dup:' .. name .. '|' .. service
local dupSourceKey = dupKey .. '|' .. source
-- 'outcomes:', not the counters' old 'feedback:' hashes: a new key type needs a new name.
local fbPrefix = prefix .. 'outcomes:' .. name .. '|' .. service .. ':'

local ts = fmt(t)
local function count(key, w) return redis.call('ZCOUNT', key, fmt(t - w), ts) end

-- A shorter window of the same set is empty when the longer one is.
local fp24 = count(fireKey, wFp24)
local fp1 = 0
if fp24 > 0 then fp1 = count(fireKey, wFp1) end

local summary = redis.call('HMGET', summaryKey, 'first', 'fire', 'res', 'dur', 'fl')
-- Time since the previous firing: -1 never fired before, -2 fired before but longer ago than we keep.
local sincePrev = -1
local lastFire = tonumber(summary[2])
if lastFire and lastFire <= t then
  -- The newest firing (summary.fire, never trimmed from the set: trims cut below it) is the previous one.
  sincePrev = t - lastFire
else
  local prev = redis.call('ZREVRANGEBYSCORE', fireKey, ts, '-inf', 'WITHSCORES', 'LIMIT', '0', '1')
  if prev[2] then
    sincePrev = t - tonumber(prev[2])
  elseif summary[1] and tonumber(summary[1]) < t then
    sincePrev = -2
  end
end

-- The previous resolve at or before t gives the previous occurrence's duration and the flap test
-- (summary.res is set by the first resolve: without it the resolve set is empty).
local resolvedAt = nil
local prevDuration = '-1'
if summary[3] then
  local res = redis.call('ZREVRANGEBYSCORE', resKey, ts, '-inf', 'WITHSCORES', 'LIMIT', '0', '1')
  if res[2] then
    resolvedAt = tonumber(res[2])
    prevDuration = string.match(res[1], '^(-?%d+):')
  elseif tonumber(summary[3]) <= t then
    resolvedAt = tonumber(summary[3])
    prevDuration = summary[4] or '-1'
  end
end
local isFlap = resolvedAt ~= nil and t - resolvedAt <= wFlap
local addedFlap = 0
if isFlap then
  addedFlap = redis.call('ZADD', flapKey, ts, id)
end
-- summary.fl is the newest flap ever recorded: nothing to count when it is older than the window.
local flapMax = tonumber(summary[5])
local flaps = 0
if isFlap or (flapMax and flapMax >= t - wFp24) then flaps = count(flapKey, wFp24) end

local rule24 = count(ruleKey, wRule24)
local rule1 = 0
if rule24 > 0 then rule1 = count(ruleKey, wRule1) end

-- Distinct other fingerprints of the service firing in a window: the set holds each fingerprint's latest
-- firing, exact for in-order streams; fingerprints whose latest firing is after t (out-of-order arrival)
-- are checked against their own firing sets.
local svc30 = count(svcKey, wSvc30)
local svcRaw = svc30
local svc5 = 0
if svc30 > 0 then svc5 = count(svcKey, wSvc5) end
if svc30 > 0 then
  -- Only a member in the 30-min window can be the alert's own series there.
  local own = tonumber(redis.call('ZSCORE', svcKey, fp))
  if own then
    if own <= t and own >= t - wSvc5 then svc5 = svc5 - 1 end
    if own <= t and own >= t - wSvc30 then svc30 = svc30 - 1 end
  end
end
local newer = redis.call('ZRANGEBYSCORE', svcKey, '(' .. ts, '+inf', 'LIMIT', '0', ARGV[14])
for _, other in ipairs(newer) do
  if other ~= fp then
    -- Its latest firing at or before t within 30 min answers both windows.
    local latest = redis.call('ZREVRANGEBYSCORE', prefix .. 'fp:' .. other .. ':fire', ts, fmt(t - wSvc30), 'WITHSCORES', 'LIMIT', '0', '1')
    if latest[2] then
      svc30 = svc30 + 1
      if tonumber(latest[2]) >= t - wSvc5 then svc5 = svc5 + 1 end
    end
  end
end

local severeCount = count(severeKey, wSevere)
local tenantCount = count(tenantKey, wTenant)
-- Duplicates from other sources: the name + service window less this source's firings the all-source set
-- still holds. Both sets only ever lose their lowest scores (trims below a time, the size cap by rank), but
-- only this source's writes trim its own set, so it may hold firings the all-source set lost (trimmed by a
-- newer firing of another source when this alert is later than the lateness allowed, or dropped by the
-- size cap); subtracting those would take them off twice, down to below zero. So this source's firings
-- count from the lowest score the all-source set holds: one more lookup, whatever the sets' sizes.
local dupAll = count(dupKey, wDup)
local dupSame = 0
if dupAll > 0 then
  local lowest = tonumber(redis.call('ZRANGE', dupKey, 0, 0, 'WITHSCORES')[2])
  dupSame = redis.call('ZCOUNT', dupSourceKey, fmt(math.max(t - wDup, lowest)), ts)
end
local dup = dupAll - dupSame
-- Outcomes known before the alert started (strictly: an outcome at the alert's own start is not yet known).
local fbFrom = fmt(t - wFeedback)
local fbTo = '(' .. ts
local actionable = redis.call('ZCOUNT', fbPrefix .. 'actionable', fbFrom, fbTo)
local noise = redis.call('ZCOUNT', fbPrefix .. 'noise', fbFrom, fbTo)

-- One %d format, not table.concat: concat would turn each count into a string with %.14g (same digits).
local vector = string.format('%s|%d,%d,%d,%d,%s,%d,%d,%d,%d,%d,%d,%d,%d,%d', static,
  fp1, fp24, flaps, sincePrev, prevDuration, rule1, rule24, svc5, svc30, severeCount, tenantCount, dup,
  actionable, noise)

-- State updates, after every read so the alert never counts itself.
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
if fields[1] then redis.call('HSET', summaryKey, unpack(fields)) end
if flags:sub(1, 1) == '1' or isFlap or not summary[1] then redis.call('PEXPIRE', summaryKey, stateTtl) end
if isFlap then trim(flapKey, wFp24, addedFlap) end

-- Trim every written set (after its ZADD, whose reply is the number of new members); refresh its TTL when
-- flagged or when its window was empty (it may be new).
local function upkeep(flag, key, retention, c, added)
  trimOnly(key, retention, added)
  if c == 0 or flags:sub(flag, flag) == '1' then redis.call('PEXPIRE', key, stateTtl) end
end
upkeep(1, fireKey, wFp24, fp24, redis.call('ZADD', fireKey, ts, id))
upkeep(2, ruleKey, wRule24, rule24, redis.call('ZADD', ruleKey, ts, id))
upkeep(3, svcKey, wSvc30, svcRaw, redis.call('ZADD', svcKey, 'GT', ts, fp))
if severe then upkeep(3, severeKey, wSevere, severeCount, redis.call('ZADD', severeKey, ts, id)) end
upkeep(4, tenantKey, wTenant, tenantCount, redis.call('ZADD', tenantKey, ts, id))
upkeep(5, dupKey, wDup, dupAll, redis.call('ZADD', dupKey, ts, id))
upkeep(6, dupSourceKey, wDup, dupSame, redis.call('ZADD', dupSourceKey, ts, id))

redis.call('HSET', KEYS[1], 'v', vector, 'fb', fbPrefix, 's', ts)
redis.call('PEXPIRE', KEYS[1], recordTtl)
return {vector, 0}
`;

/**
 * Records an outcome against the rule of the alert it belongs to, at its event time: the alert id joins
 * the rule's set of its kind with score `at` (ARGV[3]; empty: the alert's startsAt). Idempotent: the same
 * kind twice counts once (the first `at` stays); a corrected outcome moves the member to the other kind's
 * set at the new `at`. The feedback key prefix is read from the alert record (same hash tag as KEYS[1]).
 * Each write trims its set to the feedback window behind that `at` (plus the allowed lateness).
 *   ARGV: kind, key TTL, at, feedback window, lateness, member (encoded alert id)
 */
export const OUTCOME_LUA = `
local rec = redis.call('HMGET', KEYS[1], 'fb', 'o', 's')
local fb = rec[1]
if not fb then return 'unknown-alert' end
local prev = rec[2]
if prev == ARGV[1] then return 'unchanged' end
redis.call('HSET', KEYS[1], 'o', ARGV[1])
-- A record of schema version 1 names its rule's counter hash (no trailing ':'): nothing to count it in.
if string.sub(fb, -1) == ':' then
  local at = tonumber(ARGV[3]) or tonumber(rec[3]) or 0
  local member = ARGV[6]
  local key = fb .. ARGV[1]
  redis.call('ZADD', key, string.format('%d', at), member)
  if prev then redis.call('ZREM', fb .. prev, member) end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. string.format('%d', at - tonumber(ARGV[4]) - tonumber(ARGV[5])))
  redis.call('PEXPIRE', key, ARGV[2])
end
if prev then return 'changed' end
return 'recorded'
`;
