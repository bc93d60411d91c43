-- Up Migration
-- The referral API's read models (projections of the topics, see 0002): the one status of each
-- referral, its delivery attempts, and the disclosure-log view that answers "who saw my data".

CREATE TABLE referral_status (
  referral_id uuid PRIMARY KEY,
  record jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Attempts per delivery, from delivery.succeeded (its own table: the two topics are applied at once).
CREATE TABLE referral_delivery_attempts (
  referral_id uuid NOT NULL,
  delivery_id text NOT NULL,
  attempts integer NOT NULL,
  PRIMARY KEY (referral_id, delivery_id)
);

-- One row per release or refusal of personal details, as the disclosure topic carries it.
CREATE TABLE disclosure_entries (
  disclosure_id uuid PRIMARY KEY,
  subject_ref text NOT NULL,
  at timestamptz NOT NULL,
  entry jsonb NOT NULL
);
CREATE INDEX disclosure_entries_by_subject ON disclosure_entries (subject_ref, at);

-- Down Migration
DROP TABLE disclosure_entries;
DROP TABLE referral_delivery_attempts;
DROP TABLE referral_status;
