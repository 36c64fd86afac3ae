-- Anti-entropy: when the reconciliation schedule last asked Honeybee for an order (GET /orders/{order_number}),
-- so one run does not ask again for the orders the previous run just checked.
ALTER TABLE rx_order ADD COLUMN reconciled_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX ix_rx_order_stale ON rx_order (status, updated_at);
