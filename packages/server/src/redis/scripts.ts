// The Lua scripts of redisStore. Each runs atomically inside Redis, so several nodes appending
// to one stream at once still get contiguous seqs, and what a read sees (epoch, head, log) is
// one consistent snapshot.
//
// Keys of a stream (one hash + one Redis Stream, expiring together after `idleTtl`):
//   <prefix>meta:<stream>  hash { epoch, seq }  — seq is the head, HINCRBY'd per append
//   <prefix>log:<stream>   Redis Stream, entries { s: seq, t: type, d: JSON data or "" }
// The epoch is created with HSETNX (set-if-absent) by whoever touches the stream first; when
// Redis loses the hash (restart without persistence, eviction, expiry) the next touch creates
// a new epoch and seqs restart at 1, which clients see as a resync. Epoch and counter share one
// key so they are lost together: a counter restarting inside an old epoch is impossible.

/** Lua: now in ms from Redis' own clock (every node agrees on one clock). */
const NOW_MS = `local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)`;

/**
 * Append. KEYS: meta, log. ARGV: candidate epoch, stream, type, data, maxPerStream, maxAge,
 * idleTtl, fan-out channel. Returns { epoch, seq }. Publishes [stream, type, epoch, seq, data]
 * on the channel in the same step, so every node hears each stream's messages in seq order.
 */
export const APPEND = `redis.call('HSETNX', KEYS[1], 'epoch', ARGV[1])
local epoch = redis.call('HGET', KEYS[1], 'epoch')
local seq = string.format('%.0f', redis.call('HINCRBY', KEYS[1], 'seq', 1))
${NOW_MS}
redis.call('XADD', KEYS[2], 'MAXLEN', '=', ARGV[5], '*', 's', seq, 't', ARGV[3], 'd', ARGV[4])
redis.call('XTRIM', KEYS[2], 'MINID', string.format('%.0f', now - tonumber(ARGV[6])))
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('PEXPIRE', KEYS[2], ARGV[7])
redis.call('PUBLISH', ARGV[8], cjson.encode({ARGV[2], ARGV[3], epoch, seq, ARGV[4]}))
return {epoch, seq}`;

/**
 * Read. KEYS: meta, log. ARGV: candidate epoch, since epoch ("" = no since), since seq,
 * maxPerStream, maxAge, idleTtl. Returns { epoch, head, recovered (1/0), entries newest first }.
 * Recovered when `since` is this epoch's and every message after it is still in the log.
 */
export const READ = `redis.call('HSETNX', KEYS[1], 'epoch', ARGV[1])
local epoch = redis.call('HGET', KEYS[1], 'epoch')
local head = redis.call('HGET', KEYS[1], 'seq') or '0'
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
if ARGV[2] == '' then return {epoch, head, 1} end
if ARGV[2] ~= epoch then return {epoch, head, 0} end
local missing = tonumber(head) - tonumber(ARGV[3])
if missing == 0 then return {epoch, head, 1} end
if missing < 0 or missing > tonumber(ARGV[4]) then return {epoch, head, 0} end
${NOW_MS}
redis.call('XTRIM', KEYS[2], 'MINID', string.format('%.0f', now - tonumber(ARGV[5])))
local entries = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', missing)
if #entries < missing then return {epoch, head, 0} end
return {epoch, head, 1, entries}`;

/**
 * Claim a request id. KEYS: reply key. ARGV: claim value, claim ttl. Returns nil when this
 * caller now holds the claim, else the key's value ("r…" running elsewhere, "d…" a reply).
 */
export const CLAIM = `local seen = redis.call('GET', KEYS[1])
if seen then return seen end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`;

/** Heartbeat of a claim. KEYS: reply key. ARGV: claim value, ttl. 1 when still ours. */
export const REFRESH = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;
