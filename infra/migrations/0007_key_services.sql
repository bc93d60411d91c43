-- Up Migration
-- An API key binds the catalogue services its system acts for (principle 8: access is decided
-- per service a referral was routed to, not per organisation) and may expire.
ALTER TABLE api_keys
  ADD COLUMN services text[] NOT NULL DEFAULT '{}',
  ADD COLUMN expires_at timestamptz;

-- Down Migration
ALTER TABLE api_keys DROP COLUMN services, DROP COLUMN expires_at;
