-- What a fill orders, fixed when the fill is requested so that every retry (and the attempt after a crash)
-- posts the same items: the prescription's quantity and package_size and the add-on SKUs, as the JSON of
-- com.example.honeybee.orders.OrderItems. NULL on fills requested before this column existed (they order the
-- prescription alone plus the configured add-ons, as before). prescription_id becomes optional: an order of
-- add-on items alone has none.
ALTER TABLE fill_request ADD COLUMN order_items VARCHAR(4000);
ALTER TABLE fill_request ALTER COLUMN prescription_id DROP NOT NULL;
