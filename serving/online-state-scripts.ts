/**
 * Lua scripts for the per-lead online state. Each runs atomically in Redis, so concurrent
 * jobs for one lead (in one worker or many) never lose an update. All keys of a lead
 * share the hash tag `{leadId}`, so each script touches a single Redis Cluster slot.
 *
 * KEYS of every script: [events, seen, attributes, tier] (STORE_SCORED: those of each lead).
 *   events      sorted set, score = event time, member = the event as JSON (bounded)
 *   seen        sorted set of event ids already counted, score = event time (bounded)
 *   attributes  string, the lead's attributes as JSON
 *   tier        hash: tier, score, changedBy (job id), prevTier, prevScore
 */

/** Shared tail: keep keys alive for the TTL and return what scoring needs. */
const touchAndRead = `
local ttl = tonumber(ARGV_TTL)
for i = 1, 4 do redis.call('EXPIRE', KEYS[i], ttl) end
local tier = redis.call('HMGET', KEYS[4], 'tier', 'score', 'changedBy')
local events = {}
if WANT_EVENTS then events = redis.call('ZRANGE', KEYS[1], 0, -1) end
local attrs = ''
if WANT_ATTRIBUTES then attrs = redis.call('GET', KEYS[3]) or '' end
return {DUP, attrs, events, tier[1] or '', tier[2] or '', tier[3] or ''}
`;

/**
 * Records one event unless its id was seen. ARGV: eventId, at, eventJson, maxEvents,
 * maxSeen, ttlSeconds, attributesJson ('' = leave attributes as they are).
 * Returns {duplicate 0/1, attributesJson, events[], tier, score, changedBy}.
 */
export const RECORD_EVENT = `
if ARGV[7] ~= '' then redis.call('SET', KEYS[3], ARGV[7]) end
local added = redis.call('ZADD', KEYS[2], 'NX', ARGV[2], ARGV[1])
if added == 1 then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
  -- keep the newest maxEvents events and maxSeen ids (lowest scores are the oldest)
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[4]) + 1))
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[5]) + 1))
end
local DUP = 1 - added
${touchAndRead.replace('ARGV_TTL', 'ARGV[6]').replace('WANT_EVENTS', 'true').replace('WANT_ATTRIBUTES', 'true')}
`;

/**
 * Stores a lead's attributes and reads its events and tier (the shared tail, with the
 * attributes' TTL set by SET itself: one command less on every score job). ARGV:
 * attributesJson, ttlSeconds, wantEvents ('1' or '0').
 * Returns {0, '' (the caller has the attributes), events[], tier, score, changedBy}.
 */
export const STORE_LEAD = `
local ttl = tonumber(ARGV[2])
redis.call('SET', KEYS[3], ARGV[1], 'EX', ttl)
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[2], ttl)
redis.call('EXPIRE', KEYS[4], ttl)
local tier = redis.call('HMGET', KEYS[4], 'tier', 'score', 'changedBy')
local events = {}
if ARGV[3] == '1' then events = redis.call('ZRANGE', KEYS[1], 0, -1) end
return {0, '', events, tier[1] or '', tier[2] or '', tier[3] or ''}
`;

/**
 * Sets the lead's tier after a scoring, compare-and-set. ARGV: tier, score, jobId,
 * ttlSeconds, mode. Returns {changed 0/1, oldTier, oldScore} ('' for none).
 *
 * Mode 'score-only' (the tier read before scoring is the one computed) only refreshes the
 * score, and only while the tier is still that one: a concurrent change is never undone.
 *
 * A job that changed the tier and then died before announcing it is run again by
 * BullMQ with the same id; it then finds itself in `changedBy` and is told "changed"
 * again with the same old values, so the announcement is made at least once.
 */
export const COMMIT_TIER = `
local cur = redis.call('HMGET', KEYS[4], 'tier', 'score', 'changedBy', 'prevTier', 'prevScore')
local ttl = tonumber(ARGV[4])
if ARGV[5] == 'score-only' then
  if cur[1] == ARGV[1] then redis.call('HSET', KEYS[4], 'score', ARGV[2]) end
  return {0, cur[1] or '', cur[2] or ''}
end
if cur[1] ~= ARGV[1] then
  redis.call('HSET', KEYS[4], 'tier', ARGV[1], 'score', ARGV[2], 'changedBy', ARGV[3],
    'prevTier', cur[1] or '', 'prevScore', cur[2] or '')
  redis.call('EXPIRE', KEYS[4], ttl)
  return {1, cur[1] or '', cur[2] or ''}
end
redis.call('HSET', KEYS[4], 'score', ARGV[2])
redis.call('EXPIRE', KEYS[4], ttl)
if cur[3] == ARGV[3] then return {1, cur[4] or '', cur[5] or ''} end
return {0, cur[1] or '', cur[2] or ''}
`;

/**
 * Stores leads scored without stored events and commits their tiers, for score jobs: the
 * leads of the jobs scored together go in one call, and a lead without events in the
 * online state (the common case) needs nothing more. Each lead is handled exactly as on
 * its own (the call is atomic as a whole, so a fortiori per lead).
 *
 * KEYS: the four keys of each lead in turn ([events, seen, attributes, tier] of lead 1,
 * then of lead 2, ...). ARGV: ttlSeconds, then five per lead: attributesJson, checkEvents
 * ('1': the scoring assumed no stored events), tier, score, jobId.
 *
 * Returns one reply per lead. When checkEvents is '1' and the lead has stored events, the
 * scoring did not see them: nothing is committed and the reply is {0, '', events[], tier,
 * score, changedBy} (as STORE_LEAD's), for the caller to score again and commit with
 * COMMIT_TIER. Otherwise the tier is committed as COMMIT_TIER's 'set' mode does (an
 * unchanged score is not rewritten) and the reply is {1, changed 0/1, oldTier, oldScore}.
 *
 * The keys of many leads in one call need one Redis server; on a Redis Cluster, whose
 * scripts may touch one slot only, OnlineState sends one call per slot among the leads.
 */
export const STORE_SCORED = `
local ttl = tonumber(ARGV[1])
local replies = {}
for lead = 0, #KEYS / 4 - 1 do
  local events, seen, attributes, tierKey = KEYS[4 * lead + 1], KEYS[4 * lead + 2], KEYS[4 * lead + 3], KEYS[4 * lead + 4]
  local a = 5 * lead + 1
  local attrs, check, newTier, newScore, jobId = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5]
  redis.call('SET', attributes, attrs, 'EX', ttl)
  -- A lead's events and seen ids are written together and live as long: a lead without
  -- events (the common case) has neither key, and nothing to keep alive.
  local stored = redis.call('ZCARD', events)
  if stored > 0 then
    redis.call('EXPIRE', events, ttl)
    redis.call('EXPIRE', seen, ttl)
  end
  local reply
  if check == '1' and stored > 0 then
    redis.call('EXPIRE', tierKey, ttl)
    local tier = redis.call('HMGET', tierKey, 'tier', 'score', 'changedBy')
    reply = {0, '', redis.call('ZRANGE', events, 0, -1), tier[1] or '', tier[2] or '', tier[3] or ''}
  else
    local cur = redis.call('HMGET', tierKey, 'tier', 'score', 'changedBy', 'prevTier', 'prevScore')
    if cur[1] ~= newTier then
      redis.call('HSET', tierKey, 'tier', newTier, 'score', newScore, 'changedBy', jobId,
        'prevTier', cur[1] or '', 'prevScore', cur[2] or '')
      reply = {1, 1, cur[1] or '', cur[2] or ''}
    else
      if cur[2] ~= newScore then redis.call('HSET', tierKey, 'score', newScore) end
      if cur[3] == jobId then reply = {1, 1, cur[4] or '', cur[5] or ''}
      else reply = {1, 0, cur[1] or '', cur[2] or ''} end
    end
    -- Once, after the writes: HSET on a new key makes it without a TTL.
    redis.call('EXPIRE', tierKey, ttl)
  end
  replies[lead + 1] = reply
end
return replies
`;
