-- Outbox rows that cannot be published (issue 8): the relay marks such a row dead with
-- its reason and moves on, so one bad incident no longer blocks every tenant's outbox.
-- `vigil outbox list | retry` shows dead rows and puts them back in line.
ALTER TABLE outbox
  ADD COLUMN dead_at     timestamptz,
  ADD COLUMN dead_code   text,
  ADD COLUMN dead_reason text,
  ADD COLUMN attempts    integer NOT NULL DEFAULT 0;

-- The relay's queue: unpublished and alive, in id order.
DROP INDEX IF EXISTS outbox_unpublished_idx;
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE published_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_dead_idx ON outbox (id) WHERE published_at IS NULL AND dead_at IS NOT NULL;
