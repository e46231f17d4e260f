-- Duplicates dedup folds into one alert still count for correlation (docs/correlation.md):
-- the inbox row of a correlated alert keeps the routes it took through the tenant's
-- rules, so a duplicate of it counts in the same groups; a duplicate whose canonical
-- alert the stage has not correlated yet waits in correlation_repeats.
ALTER TABLE inbox ADD COLUMN memo text;

CREATE TABLE correlation_repeats (
  tenant_id    text        NOT NULL,
  canonical_id text        NOT NULL,
  duplicate_id text        NOT NULL,
  event_time   timestamptz NOT NULL,
  score        integer     NOT NULL,
  -- Alert ids are unique across tenants (deterministic ids include the tenant).
  PRIMARY KEY (canonical_id, duplicate_id)
);

GRANT SELECT, INSERT, DELETE ON correlation_repeats TO vigil_app;
