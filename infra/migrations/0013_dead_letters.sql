-- Up Migration
-- The console's dead-letter register and bulk replays (docs/dead-letters.md). The register is
-- a raw reader of every `<topic>.dlq`: one row per dead letter, named by its own position
-- (`<dlq topic>/<partition>/<offset>`), so reading a record twice changes nothing. The record
-- is kept as it was (key, value, headers) because a replay sends exactly it; the API shows its
-- size and whether it parses, never its bytes. Rows go when the dead-letter topic's retention
-- (90 days, infra/retention.json) has dropped the record too.
CREATE TABLE dead_letters (
  id text PRIMARY KEY,
  dlq_topic text NOT NULL,
  original_topic text NOT NULL,
  original_partition integer,
  original_offset bigint,
  consumer_group text NOT NULL,
  -- The group without a projection generation or `.retry`: whose retry topic a replay goes to.
  consumer text NOT NULL,
  error_code text NOT NULL,
  error_message text NOT NULL,
  attempts integer NOT NULL,
  event_id text,
  event_type text,
  delivery_id text,
  replay_count integer NOT NULL DEFAULT 0,
  first_failure_at timestamptz,
  dead_lettered_at timestamptz NOT NULL,
  record_key text,
  record_value bytea NOT NULL,
  record_headers jsonb NOT NULL,
  parse_error text,
  state text NOT NULL CHECK (state IN ('open', 'replayed', 'parked', 'resolved')),
  -- Why it is parked: replays-exhausted, or the reason code an operator gave.
  parked_reason text,
  state_changed_at timestamptz NOT NULL DEFAULT now(),
  registered_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX dead_letters_filter ON dead_letters (original_topic, state, consumer, error_code, dead_lettered_at);
CREATE INDEX dead_letters_time ON dead_letters (dead_lettered_at);

-- A bulk replay: the filter, the count the operator confirmed, and its progress. The set it
-- replays is fixed when it starts (dead_letter_bulk_items), so a restarted console goes on
-- where the last one stopped. One running bulk replay per dead-letter topic, held here by the
-- unique index rather than in any process's memory.
CREATE TABLE dead_letter_bulk_replays (
  id uuid PRIMARY KEY,
  dlq_topic text NOT NULL,
  filter jsonb NOT NULL,
  matched integer NOT NULL,
  rate_per_second integer NOT NULL,
  state text NOT NULL CHECK (state IN ('running', 'completed', 'cancelled')),
  replayed integer NOT NULL DEFAULT 0,
  skipped integer NOT NULL DEFAULT 0,
  action_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);

CREATE UNIQUE INDEX dead_letter_bulk_replays_one_running ON dead_letter_bulk_replays (dlq_topic) WHERE state = 'running';

CREATE TABLE dead_letter_bulk_items (
  bulk_id uuid NOT NULL REFERENCES dead_letter_bulk_replays (id) ON DELETE CASCADE,
  dead_letter_id text NOT NULL,
  position integer NOT NULL,
  done boolean NOT NULL DEFAULT false,
  PRIMARY KEY (bulk_id, dead_letter_id)
);

CREATE INDEX dead_letter_bulk_items_todo ON dead_letter_bulk_items (bulk_id, position) WHERE NOT done;

-- Down Migration
DROP TABLE dead_letter_bulk_items;
DROP TABLE dead_letter_bulk_replays;
DROP TABLE dead_letters;
