import type { Redis } from 'ioredis';
import type { ConsentRecord } from '@polku/consent-policy';

/**
 * The consent projection in Redis: `<prefix>:consent:<id>` (a hash: the record, its rank and
 * changedAt) and `<prefix>:consents-of:<subjectRef>` (a set of consent ids). Rebuilt from the
 * compacted topic at every start; the service writes its own changes here too, before answering.
 */
export interface ConsentStore {
  /**
   * Applies a record (idempotent, any order): a withdrawal or expiry is never undone by a
   * late copy of the grant, and of two endings the earlier stands.
   * @returns the record the store now holds for that consent
   */
  apply(record: ConsentRecord): Promise<ConsentRecord>;
  get(consentId: string): Promise<ConsentRecord | undefined>;
  listBySubject(subjectRef: string): Promise<ConsentRecord[]>;
}

// Rank 0 = active, 1 = ended. A grant is never edited, so active-over-active changes nothing.
const APPLY = `
local current = redis.call('HMGET', KEYS[1], 'rank', 'changedAt')
local rank, at = tonumber(ARGV[2]), tonumber(ARGV[3])
if current[1] then
  local currentRank, currentAt = tonumber(current[1]), tonumber(current[2])
  if rank < currentRank or (rank == currentRank and (rank == 0 or at >= currentAt)) then
    return redis.call('HGET', KEYS[1], 'record')
  end
end
redis.call('HSET', KEYS[1], 'record', ARGV[1], 'rank', ARGV[2], 'changedAt', ARGV[3])
redis.call('SADD', KEYS[2], ARGV[4])
return ARGV[1]
`;

export function redisConsentStore(redis: Redis, prefix: string): ConsentStore {
  const recordKey = (consentId: string) => `${prefix}:consent:${consentId}`;
  const subjectKey = (subjectRef: string) => `${prefix}:consents-of:${subjectRef}`;
  const get = async (consentId: string): Promise<ConsentRecord | undefined> => {
    const raw = await redis.hget(recordKey(consentId), 'record');
    return raw ? (JSON.parse(raw) as ConsentRecord) : undefined;
  };
  return {
    async apply(record) {
      const rank = record.status === 'active' ? '0' : '1';
      const held = (await redis.eval(APPLY, 2, recordKey(record.consentId), subjectKey(record.subjectRef),
        JSON.stringify(record), rank, String(Date.parse(record.changedAt)), record.consentId)) as string;
      return JSON.parse(held) as ConsentRecord;
    },
    get,
    async listBySubject(subjectRef) {
      const ids = (await redis.smembers(subjectKey(subjectRef))).sort();
      const records = await Promise.all(ids.map(get));
      return records.filter((r): r is ConsentRecord => r !== undefined).sort(byValidFrom);
    },
  };
}

function byValidFrom(a: ConsentRecord, b: ConsentRecord): number {
  return Date.parse(a.validFrom) - Date.parse(b.validFrom) || a.consentId.localeCompare(b.consentId);
}
