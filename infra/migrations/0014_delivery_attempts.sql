-- Up Migration
-- Every attempt of a delivery (services/adapter-host, docs/console.md): when it ran, what became of
-- it, the error code and the external system's HTTP status. Codes and ids only: never the system's
-- answer body, nothing naming a person. A "not ready" try (the referral API a moment behind the
-- routing) shares the attempt number of the attempt that follows it, so the key is a serial.
-- Written by the worker beside the delivery ledger and kept as long as it (neither is swept yet);
-- no foreign key to adapter_host_deliveries, because the worker may run before the projection's
-- transaction that writes the ledger row commits, and a lost attempt row must not matter.
CREATE TABLE adapter_host_delivery_attempts (
  id bigserial PRIMARY KEY,
  delivery_id uuid NOT NULL,
  referral_id uuid NOT NULL,
  adapter_id text NOT NULL,
  attempt integer NOT NULL CHECK (attempt >= 1),
  started_at timestamptz NOT NULL,
  ended_at timestamptz NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('delivered', 'failed-retrying', 'failed', 'stopped', 'not-ready')),
  error_code text,
  http_status integer CHECK (http_status BETWEEN 100 AND 599)
);
CREATE INDEX adapter_host_delivery_attempts_by_delivery ON adapter_host_delivery_attempts (delivery_id, started_at);
CREATE INDEX adapter_host_delivery_attempts_by_referral ON adapter_host_delivery_attempts (referral_id);

-- Down Migration
DROP TABLE adapter_host_delivery_attempts;
