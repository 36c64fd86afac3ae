package com.example.honeybee.it;

import java.util.HashMap;
import java.util.Map;

/** The generated boundary test on PostgreSQL, whose text, numeric and timestamp types differ from H2's. */
class PostgresFieldBoundaryTest extends FieldBoundaryTest {

    @Override
    protected RunningBundle startBundle() {
        Map<String, String> properties = new HashMap<>(PostgresDatabase.credentials());
        properties.put("honeybee.sandbox.step-ms", "600000");
        return RunningBundle.start(PostgresDatabase.freshSchemaUrl(), properties);
    }

    @Override
    protected String databaseName() {
        return "postgres";
    }
}
