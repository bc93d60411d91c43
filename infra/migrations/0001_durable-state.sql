-- Up Migration
-- What must never be lost and cannot live on a topic (docs/architecture.md, principle 7).

-- The vault: each referral's personal details, sealed with AES-256-GCM under the key named by
-- key_id (keys come from configuration, never from here). Erased a while after the referral
-- closes: the row stays as a tombstone (sealed and key_id emptied) so a late claim check can
-- say "erased" rather than "never existed".
CREATE TABLE vault_records (
  referral_id uuid PRIMARY KEY,
  key_id text,
  sealed bytea,
  created_at timestamptz NOT NULL DEFAULT now(),
  erase_after timestamptz,
  erased_at timestamptz,
  CHECK ((erased_at IS NULL) = (sealed IS NOT NULL AND key_id IS NOT NULL))
);
CREATE INDEX vault_records_due_for_erasure ON vault_records (erase_after) WHERE erased_at IS NULL AND erase_after IS NOT NULL;
CREATE INDEX vault_records_by_key ON vault_records (key_id) WHERE erased_at IS NULL;

-- API keys of organisation systems and of the backbone's own services: the secret only as its
-- SHA-256 (keys are 256-bit random, so a slow hash adds nothing).
CREATE TABLE api_keys (
  key_id text PRIMARY KEY,
  organisation_id text NOT NULL,
  system_id text NOT NULL,
  roles text[] NOT NULL,
  secret_sha256 bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

-- The first answer to a request made with an Idempotency-Key, per organisation and operation
-- (scope), so a retry gets it again and creates nothing new.
CREATE TABLE idempotency_records (
  scope text NOT NULL,
  organisation_id text NOT NULL,
  idempotency_key text NOT NULL,
  fingerprint text NOT NULL,
  status integer NOT NULL,
  answer jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (scope, organisation_id, idempotency_key)
);
CREATE INDEX idempotency_records_expiry ON idempotency_records (expires_at);

-- The transactional outbox: events written in the same transaction as the change they announce,
-- published to Kafka in id order by the relay, then marked sent (and deleted after a while).
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  topic text NOT NULL,
  message_key text,
  event jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX outbox_event_id ON outbox ((event ->> 'id'));

-- Down Migration
DROP TABLE outbox;
DROP TABLE idempotency_records;
DROP TABLE api_keys;
DROP TABLE vault_records;
