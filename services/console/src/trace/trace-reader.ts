import type { Queue } from 'bullmq';
import type { Sql } from '@polku/db';
import { buildTrace, type AttemptRow, type IndexedEvent, type TimerRow, type Trace, type TraceView } from '../domain/build-trace';
import { IdempotencyKeyAmbiguous, TraceNotFound } from '../errors';
import { deliveryJobs } from './delivery-jobs';

/** The referral API's scope for the answers of `POST /v1/referrals` (idempotency_records). */
const SUBMIT_SCOPE = 'referral-submit';

const utc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The adapter host's attempt log (read-only, as router_timers): codes, statuses and times. */
const ATTEMPT_COLUMNS = `delivery_id AS "deliveryId", adapter_id AS "adapterId", attempt, ${utc('started_at')} AS "startedAt", ${utc('ended_at')} AS "endedAt",
  outcome, error_code AS "errorCode", http_status AS "httpStatus"`;

const EVENT_COLUMNS = `event_id AS "eventId", type, topic, partition, "offset"::text AS "offset", to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time,
  referral_id AS "referralId", consent_id AS "consentId", correlation_id AS "correlationId", causation_id AS "causationId",
  delivery_id AS "deliveryId", codes, disclosure`;

export interface TraceReader {
  byReferral(referralId: string, view: TraceView): Promise<Trace>;
  /** Whether `byReferral` would find the referral (an event, a timer or a delivery attempt of it), without building its trace. */
  knowsReferral(referralId: string): Promise<boolean>;
  /** The referral an event is about (a referral, delivery or disclosure event). */
  referralOfEvent(eventId: string): Promise<string>;
  referralOfDelivery(deliveryId: string): Promise<string>;
  /** The referral a `POST /v1/referrals` with this Idempotency-Key created: only its stored answer's id is read. */
  referralOfIdempotencyKey(key: string, organisationId?: string): Promise<string>;
}

export function traceReader(db: Sql, deliveries: Queue): TraceReader {
  return {
    async byReferral(referralId, view) {
      // The referral's own events, and the consent changes of its subject (linked by the
      // pseudonym, which stays in the database).
      const { rows: events } = await db.query<IndexedEvent>(
        `SELECT ${EVENT_COLUMNS} FROM console_events
          WHERE referral_id = $1
             OR (type LIKE 'fi.polku.consent.%' AND subject_ref IN (
                  SELECT subject_ref FROM console_events WHERE referral_id = $1 AND type LIKE 'fi.polku.referral.submitted.%' AND subject_ref IS NOT NULL))`,
        [referralId],
      );
      const { rows: timers } = await db.query<TimerRow>(
        `SELECT kind, state, to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "dueAt",
                to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"
           FROM router_timers WHERE referral_id = $1 ORDER BY kind`,
        [referralId],
      );
      const { rows: attempts } = await db.query<AttemptRow>(
        `SELECT ${ATTEMPT_COLUMNS} FROM adapter_host_delivery_attempts WHERE referral_id = $1 ORDER BY delivery_id, started_at, id`,
        [referralId],
      );
      if (events.length === 0 && timers.length === 0 && attempts.length === 0) throw new TraceNotFound(`id ${referralId}`);
      const ids = [...new Set([...events.filter((e) => e.deliveryId && !e.type.startsWith('fi.polku.disclosure.')).map((e) => e.deliveryId!), ...attempts.map((a) => a.deliveryId)])];
      const jobs = ids.length > 0 ? await deliveryJobs(deliveries, ids) : [];
      return buildTrace(referralId, { events, timers, jobs, attempts }, view);
    },
    async knowsReferral(referralId) {
      const { rows } = await db.query<{ known: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM console_events WHERE referral_id = $1)
             OR EXISTS (SELECT 1 FROM router_timers WHERE referral_id = $1)
             OR EXISTS (SELECT 1 FROM adapter_host_delivery_attempts WHERE referral_id = $1) AS known`,
        [referralId],
      );
      return rows[0]?.known === true;
    },
    async referralOfEvent(eventId) {
      const { rows } = await db.query<{ referral_id: string | null }>('SELECT referral_id FROM console_events WHERE event_id = $1', [eventId]);
      const referralId = rows[0]?.referral_id;
      if (!referralId) throw new TraceNotFound(`event ${eventId}`);
      return referralId;
    },
    async referralOfDelivery(deliveryId) {
      // A delivery under way has attempts before the console has indexed any event of it.
      const { rows } = await db.query<{ referral_id: string }>(
        `SELECT referral_id FROM console_events WHERE delivery_id = $1 AND referral_id IS NOT NULL
         UNION ALL SELECT referral_id FROM adapter_host_delivery_attempts WHERE delivery_id = $1 LIMIT 1`,
        [deliveryId],
      );
      if (!rows[0]) throw new TraceNotFound(`delivery ${deliveryId}`);
      return rows[0].referral_id;
    },
    async referralOfIdempotencyKey(key, organisationId) {
      const { rows } = await db.query<{ organisation_id: string; referral_id: string | null }>(
        `SELECT organisation_id, answer ->> 'id' AS referral_id FROM idempotency_records
          WHERE scope = $1 AND idempotency_key = $2 AND ($3::text IS NULL OR organisation_id = $3) AND expires_at > now() ORDER BY organisation_id`,
        [SUBMIT_SCOPE, key, organisationId ?? null],
      );
      const found = rows.filter((row) => row.referral_id);
      if (found.length === 0) throw new TraceNotFound('that idempotency key (answers are kept 24 hours)');
      if (found.length > 1) throw new IdempotencyKeyAmbiguous(found.map((row) => row.organisation_id));
      return found[0]!.referral_id!;
    },
  };
}
