-- the host's own schema, migrated by the host's own Flyway (history: flyway_schema_history)
CREATE TABLE partner_appointment (
    id BIGINT PRIMARY KEY,
    patient_ref VARCHAR(64) NOT NULL,
    scheduled_at TIMESTAMP NOT NULL
);
