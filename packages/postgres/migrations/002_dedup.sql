-- Dedup settings, read (and cached ~30 s) by the dedup stage; see docs/dedup.md.
-- One row per tenant with rule_id NULL (the tenant default) and at most one per
-- (tenant, rule). A NULL setting inherits: rule row > tenant row > built-in default
-- (format default fields, DEDUP_DEFAULT_WINDOW_SECONDS).
CREATE TABLE dedup_settings (
  tenant_id      text        NOT NULL,
  rule_id        text,
  -- Alert fields the fingerprint covers besides tenant, format and rule id
  -- (always included); `labels.<name>` names a label. Unknown names void the row.
  fields         text[],
  window_seconds integer     CHECK (window_seconds BETWEEN 1 AND 604800),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT dedup_settings_one_row UNIQUE NULLS NOT DISTINCT (tenant_id, rule_id)
);

-- The worker only reads; settings are written by operators (as the migrator role).
GRANT SELECT ON dedup_settings TO vigil_app;
