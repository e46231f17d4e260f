-- Core tables of the correlation stage. Runs as vigil_migrator (owner of everything);
-- the app role gets only the DML it needs, and history tables are insert-only for it.

-- Inbox: one row per (consumer, event) makes redelivery a no-op (invariant I6).
CREATE TABLE inbox (
  consumer     text        NOT NULL,
  event_id     text        NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

CREATE TABLE incidents (
  id           uuid        PRIMARY KEY,
  tenant_id    text        NOT NULL,
  rule_id      text        NOT NULL,
  rule_name    text        NOT NULL,
  group_key    text        NOT NULL,
  status       text        NOT NULL CHECK (status IN ('open', 'closed')),
  severity     text        NOT NULL,
  alert_count  integer     NOT NULL,
  window_start timestamptz NOT NULL,
  window_end   timestamptz NOT NULL,
  first_seen   timestamptz NOT NULL,
  last_seen    timestamptz NOT NULL,
  revision     bigint      NOT NULL,
  updated_at   timestamptz NOT NULL
);
CREATE INDEX incidents_tenant_idx ON incidents (tenant_id, last_seen DESC);

-- Membership is history: rows are added, never changed.
CREATE TABLE incident_members (
  incident_id uuid        NOT NULL REFERENCES incidents (id),
  alert_id    text        NOT NULL,
  tenant_id   text        NOT NULL,
  event_time  timestamptz NOT NULL,
  added_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (incident_id, alert_id)
);

-- Transactional outbox: written in the same transaction as the incident change,
-- published to Kafka by the relay, exactly one row per change.
CREATE TABLE outbox (
  id           bigserial   PRIMARY KEY,
  tenant_id    text        NOT NULL,
  topic        text        NOT NULL,
  message_key  text        NOT NULL,
  payload      jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;

CREATE TABLE audit_log (
  id         bigserial   PRIMARY KEY,
  tenant_id  text        NOT NULL,
  actor      text        NOT NULL,
  action     text        NOT NULL,
  detail     jsonb       NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

GRANT CONNECT ON DATABASE vigil TO vigil_app;
GRANT USAGE ON SCHEMA public TO vigil_app;
GRANT SELECT, INSERT, DELETE ON inbox TO vigil_app;
GRANT SELECT, INSERT, UPDATE ON incidents TO vigil_app;
GRANT SELECT, INSERT ON incident_members TO vigil_app;
GRANT SELECT, INSERT, UPDATE ON outbox TO vigil_app;
GRANT SELECT, INSERT ON audit_log TO vigil_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO vigil_app;
