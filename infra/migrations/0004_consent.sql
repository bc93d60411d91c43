-- Up Migration
-- The consent service's projection of the compacted consent topic (see 0002): the latest record
-- of every consent, with its rank (0 active, 1 ended) and when it changed, so a late copy of a
-- grant never revives a withdrawn or expired consent, and of two endings the earlier stands.
CREATE TABLE consent_records (
  consent_id uuid PRIMARY KEY,
  subject_ref text NOT NULL,
  record jsonb NOT NULL,
  rank smallint NOT NULL,
  changed_at timestamptz NOT NULL
);
CREATE INDEX consent_records_by_subject ON consent_records (subject_ref);
-- Active consents with an end: what the expiry timers are rebuilt from when Redis lost them.
CREATE INDEX consent_records_expiring ON consent_records (((record ->> 'validUntil'))) WHERE rank = 0;

-- Down Migration
DROP TABLE consent_records;
