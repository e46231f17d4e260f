-- The detection engine: Sigma rules per tenant (versioned, insert-only history), the
-- window state of each correlation group, per-tenant event-time watermarks, late
-- alerts, and the incident fields a rule-driven incident carries. See docs/correlation.md.

-- One row per rule: which version is current and whether it runs. Changing a rule adds
-- a version; this row only moves its pointer.
CREATE TABLE rules (
  tenant_id       text        NOT NULL,
  rule_key        text        NOT NULL,
  kind            text        NOT NULL CHECK (kind IN ('detection', 'correlation')),
  title           text        NOT NULL,
  current_version integer     NOT NULL CHECK (current_version >= 1),
  enabled         boolean     NOT NULL DEFAULT true,
  deleted         boolean     NOT NULL DEFAULT false,
  -- allowed_lateness_ms, reopen_ms, severity_override (docs/correlation.md)
  settings        jsonb       NOT NULL DEFAULT '{}'::jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, rule_key)
);

-- History: every version as its author wrote it. Insert-only for the app role.
CREATE TABLE rule_versions (
  tenant_id    text        NOT NULL,
  rule_key     text        NOT NULL,
  version      integer     NOT NULL,
  kind         text        NOT NULL,
  title        text        NOT NULL,
  source       text        NOT NULL,
  content_hash text        NOT NULL,
  created_by   text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, rule_key, version),
  FOREIGN KEY (tenant_id, rule_key) REFERENCES rules (tenant_id, rule_key) DEFERRABLE INITIALLY DEFERRED
);

-- Bumped on every rule change of a tenant, so workers recompile only what changed.
CREATE TABLE rule_set_revisions (
  tenant_id text   PRIMARY KEY,
  revision  bigint NOT NULL
);

-- Window state of one group of one rule version (docs/correlation.md). Locked FOR
-- UPDATE while an alert is applied, so concurrent workers serialise per group.
CREATE TABLE correlation_state (
  tenant_id    text        NOT NULL,
  state_key    text        NOT NULL,
  group_key    text        NOT NULL,
  group_values jsonb       NOT NULL,
  state        jsonb       NOT NULL,
  close_at     timestamptz,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, state_key, group_key)
);
CREATE INDEX correlation_state_close_idx ON correlation_state (tenant_id, close_at) WHERE close_at IS NOT NULL;
CREATE INDEX correlation_state_age_idx ON correlation_state (updated_at);

-- The newest event time seen per tenant: lateness is measured against it.
CREATE TABLE tenant_watermarks (
  tenant_id text        PRIMARY KEY,
  watermark timestamptz NOT NULL
);

-- Alerts that arrived after their rule's allowed lateness: recorded, never silently dropped.
CREATE TABLE late_alerts (
  tenant_id    text        NOT NULL,
  alert_id     text        NOT NULL,
  rule_key     text        NOT NULL,
  rule_version integer     NOT NULL,
  event_time   timestamptz NOT NULL,
  watermark    timestamptz NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, alert_id, rule_key)
);
CREATE INDEX late_alerts_tenant_idx ON late_alerts (tenant_id, recorded_at DESC);

ALTER TABLE incidents DROP CONSTRAINT IF EXISTS incidents_status_check;
ALTER TABLE incidents ADD CONSTRAINT incidents_status_check CHECK (status IN ('open', 'acknowledged', 'closed'));
ALTER TABLE incidents
  ADD COLUMN rule_version  integer     NOT NULL DEFAULT 0,
  ADD COLUMN group_values  jsonb       NOT NULL DEFAULT '{}'::jsonb,
  ADD COLUMN tags          text[]      NOT NULL DEFAULT '{}',
  ADD COLUMN episode_start timestamptz,
  ADD COLUMN closed_at     timestamptz,
  ADD COLUMN close_reason  text;
CREATE INDEX incidents_rule_idx ON incidents (tenant_id, rule_id);

GRANT SELECT, INSERT, UPDATE ON rules TO vigil_app;
GRANT SELECT, INSERT ON rule_versions TO vigil_app;
GRANT SELECT, INSERT, UPDATE ON rule_set_revisions TO vigil_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON correlation_state TO vigil_app;
GRANT SELECT, INSERT, UPDATE ON tenant_watermarks TO vigil_app;
GRANT SELECT, INSERT ON late_alerts TO vigil_app;
