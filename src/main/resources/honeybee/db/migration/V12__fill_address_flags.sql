-- Honeybee's address validation flags a fill request asked for (accept_suggested, ignore_warnings), one row per
-- fill that asked; a fill without a row sends the configured defaults (honeybee.order.address.*).
CREATE TABLE fill_address_flags (
    fill_id           BIGINT  NOT NULL,
    accept_suggested  BOOLEAN,
    ignore_warnings   BOOLEAN,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_fill_address_flags PRIMARY KEY (fill_id)
);
