-- The state is opaque to SQL (read and written whole by the engine): text, not jsonb, so
-- writing thousands of groups per slice does not parse every one of them.
ALTER TABLE correlation_state ALTER COLUMN state TYPE text USING state::text;
