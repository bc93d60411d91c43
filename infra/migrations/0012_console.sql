-- Up Migration
-- The console's own state (services/console, docs/console.md). No personal data: codes and ids.
-- The projection `console` of the referral, consent, delivery and disclosure-log topics: one row
-- per event with where it sits on the log and the codes it carries, never its whole payload.
-- subject_ref (a pseudonym) links a referral to the consents and disclosures of its subject; it is
-- never part of an operator's answer. disclosure holds a disclosure-log entry's ids and codes for
-- auditors (operators get the codes only).
CREATE TABLE console_events (
  event_id text PRIMARY KEY,
  type text NOT NULL,
  topic text NOT NULL,
  partition integer NOT NULL,
  "offset" bigint NOT NULL,
  time timestamptz NOT NULL,
  referral_id uuid,
  consent_id uuid,
  subject_ref text,
  correlation_id text,
  causation_id text,
  delivery_id uuid,
  codes jsonb NOT NULL,
  disclosure jsonb,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX console_events_by_referral ON console_events (referral_id, time) WHERE referral_id IS NOT NULL;
CREATE INDEX console_events_by_delivery ON console_events (delivery_id) WHERE delivery_id IS NOT NULL;
CREATE INDEX console_events_by_subject ON console_events (subject_ref) WHERE subject_ref IS NOT NULL;
-- The age of the oldest unconsumed record of a group: the time of the record at its committed offset.
CREATE INDEX console_events_by_position ON console_events (topic, partition, "offset");
-- What alerts count over a window: SLA breaches and delivery outcomes by time.
CREATE INDEX console_events_by_type_time ON console_events (type, time);

-- The alerts the console evaluates on a timer: one row per alert (kind and what it is about),
-- with its state and since when it is in that state. Not a projection: what the console saw.
CREATE TABLE console_alerts (
  alert_key text PRIMARY KEY,
  kind text NOT NULL,
  about text NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
  since timestamptz NOT NULL,
  -- When the condition began to hold in its current run (null while it does not hold).
  active_since timestamptz,
  value double precision,
  threshold double precision,
  detail jsonb NOT NULL DEFAULT '{}',
  evaluated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX console_alerts_by_state ON console_alerts (state, since);

-- Down Migration
DROP TABLE console_alerts;
DROP TABLE console_events;
