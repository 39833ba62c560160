-- The common write appends one event after all of its deal's history (a move, a win, a reopen): then no existing
-- stay changes (the new event is after every stay's start and end), and only the new event, when it ends a stay,
-- needs a row. Anything else (several events in one statement, an event dated before others) recomputes the
-- touched deals as before. Halves the trigger's share of a move (docs/decisions.md 43).
CREATE OR REPLACE FUNCTION report_stage_stays_after_events_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ev deal_events%ROWTYPE;
  events integer;
  stay_stage uuid;
BEGIN
  SELECT count(*) INTO events FROM new_events;
  IF events = 1 THEN
    SELECT * INTO ev FROM new_events;
    IF ev.type NOT IN ('created', 'stage_changed', 'reopened', 'won', 'lost') THEN
      RETURN NULL;
    END IF;
    IF NOT EXISTS (
      SELECT 1 FROM deal_events e
      WHERE e.workspace_id = ev.workspace_id AND e.deal_id = ev.deal_id AND e.occurred_at >= ev.occurred_at AND (e.occurred_at, e.id) > (ev.occurred_at, ev.id)
    ) THEN
      stay_stage := CASE WHEN ev.type = 'stage_changed' THEN ev.from_stage_id WHEN ev.type IN ('won', 'lost') THEN ev.to_stage_id END;
      IF stay_stage IS NOT NULL THEN
        INSERT INTO report_stage_stays (event_id, workspace_id, deal_id, stage_id, began_at, ended_at)
        SELECT ev.id, ev.workspace_id, ev.deal_id, stay_stage, b.began_at, ev.occurred_at
        FROM (
          SELECT p.occurred_at AS began_at FROM deal_events p
          WHERE p.workspace_id = ev.workspace_id AND p.deal_id = ev.deal_id AND p.type IN ('created', 'stage_changed', 'reopened')
            AND (p.occurred_at, p.id) < (ev.occurred_at, ev.id)
          ORDER BY p.occurred_at DESC, p.id DESC LIMIT 1) b;
      END IF;
      RETURN NULL;
    END IF;
  END IF;
  PERFORM report_refresh_stage_stays(array_agg(x.workspace_id), array_agg(x.deal_id))
  FROM (SELECT DISTINCT n.workspace_id, n.deal_id FROM new_events n WHERE n.type IN ('created', 'stage_changed', 'reopened', 'won', 'lost')) x
  HAVING count(*) > 0;
  RETURN NULL;
END $$;
