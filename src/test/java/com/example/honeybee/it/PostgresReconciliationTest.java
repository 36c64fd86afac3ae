package com.example.honeybee.it;

import java.util.HashMap;
import java.util.Map;

/**
 * The reconciliation schedule on PostgreSQL: its stale-order query and reconciled_at, fired by Quartz on its
 * clustered JDBC job store (honeybee.quartz.clustered), as several instances run it.
 */
class PostgresReconciliationTest extends ReconciliationTest {

    @Override
    protected void start(Map<String, String> overrides) {
        Map<String, String> clustered = new HashMap<>(overrides);
        clustered.put("honeybee.quartz.clustered", "true");
        bundle = PostgresDatabase.startBundle(clustered);
        life = new Lifecycle(bundle);
    }
}
