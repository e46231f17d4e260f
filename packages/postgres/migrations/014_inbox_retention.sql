-- Inbox rows and parked duplicates are kept only as long as a record can be delivered
-- again (the input topics' retention, plus a margin): correlate prunes older ones by
-- these indexes (services/correlate/src/inbox-retention.ts). Both are append-ordered, so
-- the indexes grow at their right edge only.
CREATE INDEX inbox_processed_idx ON inbox (processed_at);
ALTER TABLE correlation_repeats ADD COLUMN parked_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX correlation_repeats_parked_idx ON correlation_repeats (parked_at);
