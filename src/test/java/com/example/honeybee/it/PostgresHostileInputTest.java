package com.example.honeybee.it;

import java.util.HashMap;
import java.util.Map;

/** The hostile inputs on PostgreSQL, which refuses U+0000 in text where H2 stores it. */
class PostgresHostileInputTest extends HostileInputTest {

    @Override
    protected RunningBundle startBundle() {
        Map<String, String> properties = new HashMap<>(PostgresDatabase.credentials());
        properties.put("honeybee.sandbox.step-ms", "600000");
        return RunningBundle.start(PostgresDatabase.freshSchemaUrl(), properties);
    }
}
