package com.example.honeybee.it;

import java.util.Map;

/** Items stored with fills and orders of add-ons alone (a nullable prescription_id, a generated key) on PostgreSQL. */
class PostgresOrderItemsTest extends OrderItemsTest {

    @Override
    protected void start(Map<String, String> overrides) {
        bundle = PostgresDatabase.startBundle(overrides);
        life = new Lifecycle(bundle);
    }
}
