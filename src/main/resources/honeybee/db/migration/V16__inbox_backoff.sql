-- A failed event backs off in the database: it is not claimed again before next_attempt_at (NULL = now).
ALTER TABLE inbox ADD COLUMN next_attempt_at TIMESTAMP WITH TIME ZONE;
-- The claim takes only the oldest pending event of each patient (per-patient order across threads and instances).
CREATE INDEX ix_inbox_patient_pending ON inbox (patient_id, status, seq);
