-- Group states packed per group key (issue 13). An alert touches ~15 (rule, group) states
-- with a realistic rule set, but only a handful of distinct group keys (its host, user,
-- source address…): one row per key instead of one per (rule, key) is ~6x fewer rows
-- inserted, locked and indexed per alert. Rules grouped by different fields whose values
-- happen to coincide share a row harmlessly: the states inside are keyed by rule version.
CREATE TABLE correlation_groups (
  tenant_id  text        NOT NULL,
  group_key  text        NOT NULL,
  -- JSON object: rule version's state key → that rule's state for this group. Opaque to
  -- SQL (read and written whole by the engine), so text, not jsonb.
  states     text        NOT NULL,
  -- The earliest close time of the states inside: what the close-time sweep looks for.
  close_at   timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, group_key)
);
CREATE INDEX correlation_groups_close_idx ON correlation_groups (tenant_id, close_at) WHERE close_at IS NOT NULL;

INSERT INTO correlation_groups (tenant_id, group_key, states, close_at)
  SELECT tenant_id, group_key, json_object_agg(state_key, state::json)::text, min(close_at)
    FROM correlation_state GROUP BY tenant_id, group_key;
DROP TABLE correlation_state;

GRANT SELECT, INSERT, UPDATE, DELETE ON correlation_groups TO vigil_app;
