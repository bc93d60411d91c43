-- Up Migration
-- The adapter host's state (services/adapter-host). No personal data: codes, bands, ids and the
-- pseudonymous subject reference consent is asked about.

-- The projection of the referral topic (projection `adapter-host`): emptied by a rebuild and
-- written again from the topic.
-- Each submitted referral's routing facts (codes and bands) and whom consent is about.
CREATE TABLE adapter_host_referrals (
  referral_id uuid PRIMARY KEY,
  facts jsonb,
  subject jsonb,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Where a referral stands with each recipient (keyed by service id, else organisation id).
-- A recipient that is `queued` has a BullMQ job whose id is delivery_id: reconciliation re-adds
-- the jobs of every queued recipient from adapter_host_deliveries.plan.
CREATE TABLE adapter_host_recipients (
  referral_id uuid NOT NULL,
  recipient_key text NOT NULL,
  state text NOT NULL CHECK (state IN ('waiting', 'queued', 'delivered', 'stopped', 'failed')),
  delivery_id uuid,
  reason text,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (referral_id, recipient_key)
);
CREATE INDEX adapter_host_recipients_queued ON adapter_host_recipients (delivery_id) WHERE state = 'queued';

-- The host's ledger of deliveries: not emptied by a rebuild, because what it records was done to a
-- system outside (a delivery made is not made again when the topic is replayed). A row is written
-- when a delivery is queued (its plan, the BullMQ job's data) and its outcome when the worker is
-- done, in the transaction that also writes the outbox events announcing it. Callbacks find the
-- delivery they answer here.
CREATE TABLE adapter_host_deliveries (
  delivery_id uuid PRIMARY KEY,
  referral_id uuid NOT NULL,
  adapter_id text NOT NULL,
  role text NOT NULL,
  recipient jsonb NOT NULL,
  correlation_id text NOT NULL,
  plan jsonb NOT NULL,
  outcome text CHECK (outcome IN ('delivered', 'stopped', 'failed')),
  attempts integer,
  outcome_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX adapter_host_deliveries_by_referral ON adapter_host_deliveries (referral_id);

-- Down Migration
DROP TABLE adapter_host_deliveries;
DROP TABLE adapter_host_recipients;
DROP TABLE adapter_host_referrals;
