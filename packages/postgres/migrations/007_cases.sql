-- Analyst triage (docs/query-api.md): incident assignment, cases with an insert-only
-- audit trail, and per-tenant notification webhooks.

-- Who works an incident; set by analysts only, carried in every published revision.
ALTER TABLE incidents ADD COLUMN assignee text;
CREATE INDEX incidents_assignee_idx ON incidents (tenant_id, assignee) WHERE assignee IS NOT NULL;
-- The timeline of an incident reads its audit events back from the outbox.
CREATE INDEX outbox_audit_incident_idx ON outbox ((payload->>'incident_id'), id) WHERE topic = 'correlation.audit.v1';

CREATE TABLE cases (
  id         uuid        PRIMARY KEY,
  tenant_id  text        NOT NULL,
  title      text        NOT NULL,
  status     text        NOT NULL CHECK (status IN ('open', 'in_progress', 'closed')),
  assignee   text,
  created_by text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  revision   bigint      NOT NULL DEFAULT 1
);
CREATE INDEX cases_tenant_idx ON cases (tenant_id, updated_at DESC);

-- Everything below is history: rows are added, never changed or deleted by the app.
CREATE TABLE case_links (
  case_id  uuid        NOT NULL REFERENCES cases (id),
  tenant_id text       NOT NULL,
  kind     text        NOT NULL CHECK (kind IN ('alert', 'incident')),
  ref_id   text        NOT NULL,
  added_by text        NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, kind, ref_id)
);

CREATE TABLE case_notes (
  id         bigserial   PRIMARY KEY,
  case_id    uuid        NOT NULL REFERENCES cases (id),
  tenant_id  text        NOT NULL,
  author     text        NOT NULL,
  body       text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_notes_case_idx ON case_notes (case_id, id);

CREATE TABLE case_observables (
  case_id   uuid        NOT NULL REFERENCES cases (id),
  tenant_id text        NOT NULL,
  kind      text        NOT NULL,
  value     text        NOT NULL,
  added_by  text        NOT NULL,
  added_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, kind, value)
);

-- The audit trail of a case: one row per change, with who made it.
CREATE TABLE case_events (
  id         bigserial   PRIMARY KEY,
  case_id    uuid        NOT NULL REFERENCES cases (id),
  tenant_id  text        NOT NULL,
  actor      text        NOT NULL,
  action     text        NOT NULL,
  detail     jsonb       NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_events_case_idx ON case_events (case_id, id);

-- Notification endpoints of a tenant. The secret signs deliveries (HMAC-SHA256).
CREATE TABLE webhooks (
  id         uuid        PRIMARY KEY,
  tenant_id  text        NOT NULL,
  url        text        NOT NULL,
  format     text        NOT NULL CHECK (format IN ('generic', 'slack', 'teams')),
  events     text[]      NOT NULL,
  secret     text        NOT NULL,
  enabled    boolean     NOT NULL DEFAULT true,
  created_by text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_tenant_idx ON webhooks (tenant_id) WHERE enabled;

GRANT SELECT, INSERT, UPDATE ON cases TO vigil_app;
GRANT SELECT, INSERT ON case_links TO vigil_app;
GRANT SELECT, INSERT ON case_notes TO vigil_app;
GRANT SELECT, INSERT ON case_observables TO vigil_app;
GRANT SELECT, INSERT ON case_events TO vigil_app;
GRANT SELECT, INSERT, UPDATE ON webhooks TO vigil_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO vigil_app;
