-- Incident notifications (docs/query-api.md, Notifications).
--
-- Why a trigger: an incident changes in two places (the correlate stage's batched upsert,
-- and the analysts' workflow in @vigil/incident-store), and a notification must exist if
-- and only if the change committed. A row trigger on `incidents` writes the notification
-- intent in the very transaction of the change, whichever code made it, so neither writer
-- carries notification logic and none can forget it. The WHEN clauses keep it off the hot
-- path: a join that changes neither status nor severity does not even call the function,
-- and a tenant without a webhook subscribed to the event gets no row.

ALTER TABLE webhooks
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  -- Deleting keeps the row (deliveries in flight name it) but hides it and stops sending.
  ADD COLUMN deleted_at timestamptz;

-- Notification intents, written by the trigger; the query API's dispatcher turns each into
-- one BullMQ delivery job per subscribed webhook and marks it dispatched.
CREATE TABLE webhook_events (
  id            bigserial   PRIMARY KEY,
  tenant_id     text        NOT NULL,
  incident_id   uuid        NOT NULL,
  revision      bigint      NOT NULL,
  event         text        NOT NULL CHECK (event IN ('opened', 'escalated', 'reopened')),
  -- The incident as this revision left it (what the message describes).
  incident      jsonb       NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  dispatched_at timestamptz
);
CREATE INDEX webhook_events_pending_idx ON webhook_events (id) WHERE dispatched_at IS NULL;

CREATE FUNCTION vigil_severity_rank(s text) RETURNS int LANGUAGE sql IMMUTABLE AS
  $$ SELECT coalesce(array_position(ARRAY['info', 'low', 'medium', 'high', 'critical'], s), 0) $$;

CREATE FUNCTION vigil_incident_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status <> 'open' THEN RETURN NULL; END IF;
    kind := 'opened';
  ELSIF OLD.status = 'closed' AND NEW.status <> 'closed' THEN
    kind := 'reopened';
  ELSIF vigil_severity_rank(NEW.severity) > vigil_severity_rank(OLD.severity) THEN
    kind := 'escalated';
  ELSE
    RETURN NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM webhooks w WHERE w.tenant_id = NEW.tenant_id AND w.enabled AND w.deleted_at IS NULL AND kind = ANY (w.events)) THEN
    RETURN NULL;
  END IF;
  INSERT INTO webhook_events (tenant_id, incident_id, revision, event, incident)
  VALUES (NEW.tenant_id, NEW.id, NEW.revision, kind, jsonb_build_object(
    'id', NEW.id, 'tenant_id', NEW.tenant_id, 'rule_id', NEW.rule_id, 'rule_name', NEW.rule_name, 'rule_version', NEW.rule_version,
    'status', NEW.status, 'severity', NEW.severity, 'previous_severity', CASE WHEN TG_OP = 'UPDATE' THEN OLD.severity END,
    'alert_count', NEW.alert_count, 'group_values', NEW.group_values, 'tags', to_jsonb(NEW.tags), 'assignee', NEW.assignee,
    'first_seen', NEW.first_seen, 'last_seen', NEW.last_seen, 'revision', NEW.revision));
  RETURN NULL;
END $$;

CREATE TRIGGER incidents_notify_insert AFTER INSERT ON incidents
  FOR EACH ROW WHEN (NEW.status = 'open') EXECUTE FUNCTION vigil_incident_notify();
CREATE TRIGGER incidents_notify_update AFTER UPDATE ON incidents
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.severity IS DISTINCT FROM NEW.severity) EXECUTE FUNCTION vigil_incident_notify();

GRANT SELECT, INSERT, UPDATE ON webhook_events TO vigil_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO vigil_app;
