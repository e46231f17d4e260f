-- Correlation state rows are written for every group an alert touches: keep them lean.
-- group_values is derivable from group_key (the JSON tuple, in group-by order) and no
-- longer written; nothing ever read updated_at through an index.
ALTER TABLE correlation_state ALTER COLUMN group_values SET DEFAULT '{}'::jsonb;
DROP INDEX IF EXISTS correlation_state_age_idx;

-- An incident record carries its first members by event time; without this index each
-- join to a large incident sorted all its members.
CREATE INDEX IF NOT EXISTS incident_members_order_idx ON incident_members (incident_id, event_time, alert_id);

