-- Up Migration
-- The router's state in PostgreSQL (docs/services.md, "State: projections and the outbox"). Its
-- memory is the projection `router` of the referral and consent topics: written in the transaction
-- that records the event as handled, together with the events it announces (the outbox) and the
-- timers it sets. Codes, ids and pseudonymous subject references only, never personal details.

-- One row per referral the router has seen: the routing attributes a later reroute needs and who
-- holds the referral now (ReferralRecord in services/router/src/referral-record.ts).
-- `routed` is false only while a replay has read the submitted event but not yet the router's own
-- routed event further on the partition. `replayed` marks a row rebuilt from the topic that no
-- handling has acted on since: only such rows take in the router's own events from the topic.
CREATE TABLE router_referrals (
  referral_id uuid PRIMARY KEY,
  record jsonb NOT NULL,
  routed boolean NOT NULL,
  replayed boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Recipients waiting for consent, per referral (party_key: the service id, else the organisation
-- id), and by subject reference: what a granted consent looks up.
CREATE TABLE router_waiting (
  referral_id uuid NOT NULL REFERENCES router_referrals ON DELETE CASCADE,
  party_key text NOT NULL,
  party jsonb NOT NULL,
  subject_ref text NOT NULL,
  PRIMARY KEY (referral_id, party_key)
);
CREATE INDEX router_waiting_by_subject ON router_waiting (subject_ref);

-- The timers the router has set (the jobs themselves are BullMQ delayed jobs in Redis, ids
-- sla-<referral id> and follow-up-<referral id>): what `reconcileTimers` re-adds when Redis has
-- lost them, and what a firing job checks first (a stopped or fired timer does nothing). A record
-- of what the router did, like the outbox: a rebuild of the projection does not empty it.
CREATE TABLE router_timers (
  referral_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('sla', 'follow-up')),
  state text NOT NULL CHECK (state IN ('set', 'stopped', 'fired')),
  due_at timestamptz NOT NULL,
  job jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (referral_id, kind)
);
CREATE INDEX router_timers_set ON router_timers (kind, referral_id) WHERE state = 'set';

-- How far the router has acted (asked the consent service, announced events, set timers) on each
-- partition, per projection name. A record below this offset is one the router acted on before:
-- a rebuild replays it into the memory without acting again. Not emptied by a rebuild.
CREATE TABLE router_acted_offsets (
  projection text NOT NULL,
  topic text NOT NULL,
  partition integer NOT NULL,
  next_offset bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (projection, topic, partition)
);

-- Down Migration
DROP TABLE router_acted_offsets;
DROP TABLE router_timers;
DROP TABLE router_waiting;
DROP TABLE router_referrals;
