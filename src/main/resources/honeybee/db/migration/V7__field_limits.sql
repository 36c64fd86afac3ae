-- Columns that hold webhook fields are at least as wide as the field catalogue's declared limit
-- (com.example.honeybee.webhook.WebhookFields), which the bundle checks at startup. A URL of up to
-- 2048 characters (the longest that common browsers and servers handle) was too long for 1000.
ALTER TABLE shipment ALTER COLUMN tracking_url SET DATA TYPE VARCHAR(2048);
