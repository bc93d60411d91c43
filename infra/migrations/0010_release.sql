-- Up Migration
-- The releases already logged per delivery to an external system: one disclosure-log entry per
-- delivery (and set of fields released) whatever the number of attempts. Written in the same
-- transaction as the entry (the adapter host's delivery outcome, the referral API's claim check
-- an adapter makes for the delivery); no personal data. Swept with the disclosure log's retention.

CREATE TABLE disclosure_logged_deliveries (
  writer text NOT NULL,
  delivery_id uuid NOT NULL,
  fields text NOT NULL,
  disclosure_id uuid NOT NULL,
  logged_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (writer, delivery_id, fields)
);
CREATE INDEX disclosure_logged_deliveries_by_time ON disclosure_logged_deliveries (logged_at);

-- The right of access finds the referrals whose subject is the person.
CREATE INDEX referral_status_by_subject ON referral_status ((record ->> 'subjectRef'));

-- Down Migration
DROP INDEX referral_status_by_subject;
DROP TABLE disclosure_logged_deliveries;
