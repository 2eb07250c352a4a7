-- Wake the outbox relay when events are committed (NOTIFY is delivered at commit); polling stays as the safety net.
CREATE OR REPLACE FUNCTION praxis_outbox_notify() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('praxis_outbox', '');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER outbox_events_notify AFTER INSERT ON "outbox_events" FOR EACH STATEMENT EXECUTE FUNCTION praxis_outbox_notify();
