-- Up Migration
-- The disclosure sealer's chain (docs/disclosure-log.md). Per partition of the disclosure log:
-- the head (next offset to seal, the chain hash so far, how far checkpoints reach), and every
-- sealed entry with its chain hash and, for one without a valid service signature, why. A
-- record's row and the head's move commit together, so the chain and the offsets it consumed
-- never disagree; the consumer group's commit afterwards is only a hint.
CREATE TABLE disclosure_seal_state (
  id smallint PRIMARY KEY CHECK (id = 1),
  -- Names the sealer's consumer group: a database restored empty starts a new group, which
  -- reads the log from its start and computes the same chain again.
  chain_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE disclosure_seal_heads (
  topic text NOT NULL,
  partition integer NOT NULL,
  next_offset bigint NOT NULL,
  last_hash text NOT NULL,
  checkpointed_offset bigint,
  checkpointed_hash text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (topic, partition)
);

CREATE TABLE disclosure_seal_entries (
  topic text NOT NULL,
  partition integer NOT NULL,
  "offset" bigint NOT NULL,
  hash text NOT NULL,
  -- NULL: a valid signature by signer_key_id. Otherwise unsigned, unknown-key, bad-signature or not-an-event.
  problem text,
  signer_key_id text,
  sealed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (topic, partition, "offset")
);

CREATE INDEX disclosure_seal_entries_forged ON disclosure_seal_entries (topic, partition, "offset") WHERE problem IS NOT NULL;

-- Down Migration
DROP TABLE disclosure_seal_entries;
DROP TABLE disclosure_seal_heads;
DROP TABLE disclosure_seal_state;
