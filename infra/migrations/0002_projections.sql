-- Up Migration
-- Every read model is a projection of the topics (docs/architecture.md, principle 7): its rows and
-- what it has consumed are written in one transaction, so handling is effectively once, and a
-- projection emptied (or rebuilt on purpose) replays the topics from the start by itself.

-- One row per projection: its generation names its consumer group (projection.<name>.g<generation>);
-- a rebuild empties the projection's tables and moves to the next generation, which reads from the start.
CREATE TABLE projection_state (
  name text PRIMARY KEY,
  generation integer NOT NULL DEFAULT 1,
  -- The tables holding the projection's rows, as its service registers them at start: what a rebuild empties.
  tables text[] NOT NULL DEFAULT '{}',
  rebuilt_at timestamptz
);

-- How far each generation has read, per partition: progress for operators and the "emptied" check.
CREATE TABLE projection_offsets (
  projection text NOT NULL,
  generation integer NOT NULL,
  topic text NOT NULL,
  partition integer NOT NULL,
  next_offset bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (projection, generation, topic, partition)
);

-- Event ids a projection has applied: a redelivered record, or an event the outbox relay published
-- twice, is applied once. Kept a week (a republish comes within seconds); a rebuild starts afresh.
CREATE TABLE projection_handled (
  projection text NOT NULL,
  event_id text NOT NULL,
  handled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (projection, event_id)
);
CREATE INDEX projection_handled_age ON projection_handled (handled_at);

-- Down Migration
DROP TABLE projection_handled;
DROP TABLE projection_offsets;
DROP TABLE projection_state;
