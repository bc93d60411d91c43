-- Up Migration
-- The console's sign-ins and sessions (services/console/src/web). Staff only, never a client's data.
-- A sign-in under way: what the console keeps between sending a person to the identity provider
-- and their return, found by the random id in the person's sign-in cookie, used once.
CREATE TABLE console_sign_ins (
  id_hash bytea PRIMARY KEY,
  state text NOT NULL,
  nonce text NOT NULL,
  code_verifier text NOT NULL,
  return_to text NOT NULL,
  expires_at timestamptz NOT NULL
);
-- A session: found by the SHA-256 of the random id in the session cookie (the id itself is never
-- stored), with its own CSRF token. It ends when signed out, idle too long, or too old.
CREATE TABLE console_sessions (
  id_hash bytea PRIMARY KEY,
  subject text NOT NULL,
  display_name text NOT NULL,
  roles text[] NOT NULL,
  csrf_token text NOT NULL,
  id_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at);

-- Down Migration
DROP TABLE console_sessions;
DROP TABLE console_sign_ins;
