-- Up Migration
-- The operators' audit trail as the console shows it to auditors: the projection `console-audit`
-- of polku.operator.audit.v1, one row per action with how it ended. Ids and codes only, as on the
-- topic: the actor is a key id or an identity provider's subject, never a name.
CREATE TABLE console_operator_actions (
  action_id uuid PRIMARY KEY,
  action text NOT NULL,
  actor jsonb NOT NULL,
  reason_code text NOT NULL,
  ticket text,
  target jsonb,
  filter jsonb,
  counts jsonb,
  requested_at timestamptz NOT NULL,
  outcome text,
  error_code text,
  completed_at timestamptz
);
CREATE INDEX console_operator_actions_by_time ON console_operator_actions (requested_at DESC, action_id);

-- Down Migration
DROP TABLE console_operator_actions;
