import type { Sql } from '@polku/db';
import { partyKey } from './consent-gate';
import type { RoutedParty } from './domain/decide-routing';
import type { ReferralRecord } from './referral-record';

/**
 * The router's memory of referrals (tables `router_referrals` and `router_waiting`), read and
 * written through one `Sql`: the transaction of the handling that uses it, so what it remembers
 * commits together with the events it announces and the event it consumed, or not at all.
 */
export interface ReferralMemory {
  /** The referral's record; undefined when the router never routed it. */
  get(referralId: string): Promise<ReferralRecord | undefined>;
  /**
   * {@link get}, holding the referral until the transaction ends: its subject first (see
   * {@link lockSubject}), then its row. Every handling takes its locks in this order, so two
   * handlings of one referral (an event, a consent, a timer) run one after the other and never deadlock.
   */
  lock(referralId: string): Promise<ReferralRecord | undefined>;
  /**
   * Holds a subject until the transaction ends. A granted consent holds its subject while it reads
   * the waiting recipients, so a referral being routed for the same subject (which holds it too)
   * is either seen whole, once committed, or routes after the grant is visible to it.
   */
  lockSubject(subjectRef: string): Promise<void>;
  put(record: ReferralRecord): Promise<void>;
  /** Remembers recipients waiting for consent, under the subject whose consent a grant would give. */
  addWaiting(referralId: string, subjectRef: string, parties: readonly RoutedParty[]): Promise<void>;
  /** The recipients of a referral that still wait for consent, by service id. */
  waiting(referralId: string): Promise<RoutedParty[]>;
  /** Referral ids with recipients waiting for this subject's consent. */
  waitingReferrals(subjectRef: string): Promise<string[]>;
  /** These recipients no longer wait. */
  resolveWaiting(referralId: string, parties: readonly RoutedParty[]): Promise<void>;
}

/** The tables of the memory: what a rebuild of the projection empties (router_timers and router_acted_offsets it keeps). */
export const MEMORY_TABLES = ['router_referrals', 'router_waiting'] as const;

export function sqlReferralMemory(sql: Sql): ReferralMemory {
  /** A row acted on is no longer one the replay fills in (see replay-memory.ts). */
  const actedOn = (referralId: string) => sql.query('UPDATE router_referrals SET replayed = false, updated_at = now() WHERE referral_id = $1 AND replayed', [referralId]);
  const memory: ReferralMemory = {
    async get(referralId) {
      const { rows } = await sql.query<{ record: ReferralRecord }>('SELECT record FROM router_referrals WHERE referral_id = $1 AND routed', [referralId]);
      return rows[0]?.record;
    },
    async lock(referralId) {
      const { rows: [found] } = await sql.query<{ subject_ref: string | null }>("SELECT record ->> 'subjectRef' AS subject_ref FROM router_referrals WHERE referral_id = $1", [referralId]);
      if (!found) return undefined;
      if (found.subject_ref !== null) await memory.lockSubject(found.subject_ref);
      const { rows } = await sql.query<{ record: ReferralRecord; routed: boolean }>('SELECT record, routed FROM router_referrals WHERE referral_id = $1 FOR UPDATE', [referralId]);
      return rows[0]?.routed ? rows[0].record : undefined;
    },
    async lockSubject(subjectRef) {
      // Two keys: the first names the router's subject locks, apart from every other advisory lock.
      await sql.query("SELECT pg_advisory_xact_lock(hashtext('polku.router.subject'), hashtext($1))", [subjectRef]);
    },
    async put(record) {
      await sql.query(
        `INSERT INTO router_referrals (referral_id, record, routed, replayed) VALUES ($1, $2, true, false)
         ON CONFLICT (referral_id) DO UPDATE SET record = EXCLUDED.record, routed = true, replayed = false, updated_at = now()`,
        [record.referralId, JSON.stringify(record)],
      );
    },
    async addWaiting(referralId, subjectRef, parties) {
      for (const party of parties) {
        await sql.query(
          `INSERT INTO router_waiting (referral_id, party_key, party, subject_ref) VALUES ($1, $2, $3, $4)
           ON CONFLICT (referral_id, party_key) DO UPDATE SET party = EXCLUDED.party, subject_ref = EXCLUDED.subject_ref`,
          [referralId, partyKey(party), JSON.stringify(party), subjectRef],
        );
      }
      if (parties.length > 0) await actedOn(referralId);
    },
    async waiting(referralId) {
      const { rows } = await sql.query<{ party: RoutedParty }>('SELECT party FROM router_waiting WHERE referral_id = $1 ORDER BY party_key', [referralId]);
      return rows.map((r) => r.party);
    },
    async waitingReferrals(subjectRef) {
      const { rows } = await sql.query<{ referral_id: string }>('SELECT DISTINCT referral_id FROM router_waiting WHERE subject_ref = $1 ORDER BY referral_id', [subjectRef]);
      return rows.map((r) => r.referral_id);
    },
    async resolveWaiting(referralId, parties) {
      if (parties.length === 0) return;
      await sql.query('DELETE FROM router_waiting WHERE referral_id = $1 AND party_key = ANY($2::text[])', [referralId, parties.map(partyKey)]);
      await actedOn(referralId);
    },
  };
  return memory;
}
