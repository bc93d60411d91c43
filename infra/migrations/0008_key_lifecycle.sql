-- Up Migration
-- Key lifecycle (docs/keys.md): a rotated key keeps its id and gets a new secret; the previous
-- secret keeps working until `previous_secret_until` (the overlap), then not at all.
ALTER TABLE api_keys
  ADD COLUMN previous_secret_sha256 bytea,
  ADD COLUMN previous_secret_until timestamptz,
  ADD COLUMN rotated_at timestamptz;

-- Every change to a key (issue, revoke, rotate): who, what, when and why. Never a secret.
-- Append-only: the table refuses updates and deletes, so an entry cannot be quietly altered.
CREATE TABLE api_key_audit (
  audit_id bigserial PRIMARY KEY,
  key_id text NOT NULL,
  action text NOT NULL CHECK (action IN ('issue', 'revoke', 'rotate')),
  actor text NOT NULL,
  reason text NOT NULL CHECK (length(reason) > 0),
  details jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_key_audit_key ON api_key_audit (key_id, at);

CREATE FUNCTION api_key_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'api_key_audit is append-only';
END;
$$;
CREATE TRIGGER api_key_audit_append_only BEFORE UPDATE OR DELETE ON api_key_audit
  FOR EACH ROW EXECUTE FUNCTION api_key_audit_append_only();

-- Down Migration
DROP TRIGGER api_key_audit_append_only ON api_key_audit;
DROP FUNCTION api_key_audit_append_only();
DROP TABLE api_key_audit;
ALTER TABLE api_keys DROP COLUMN previous_secret_sha256, DROP COLUMN previous_secret_until, DROP COLUMN rotated_at;
