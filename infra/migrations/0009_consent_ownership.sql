-- Up Migration
-- The consent service's projection of the referral topic, only what deciding a professional's
-- consent lookup needs: which subject each referral is about, and which catalogue services it
-- was routed to (lead, co-workers, and whoever took over in a hand-over). No personal data:
-- subject references are pseudonyms.
CREATE TABLE consent_referral_subjects (
  referral_id uuid PRIMARY KEY,
  subject_ref text NOT NULL
);
CREATE INDEX consent_referral_subjects_by_subject ON consent_referral_subjects (subject_ref);
CREATE TABLE consent_referral_routes (
  referral_id uuid NOT NULL,
  service_id text NOT NULL,
  PRIMARY KEY (referral_id, service_id)
);

-- Down Migration
DROP TABLE consent_referral_routes;
DROP TABLE consent_referral_subjects;
