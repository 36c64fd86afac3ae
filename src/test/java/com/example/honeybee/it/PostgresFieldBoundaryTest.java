package com.example.honeybee.it;

import java.util.Map;

/** The generated boundary test on PostgreSQL, whose text, numeric and timestamp types differ from H2's. */
class PostgresFieldBoundaryTest extends FieldBoundaryTest {

    @Override
    protected RunningBundle startBundle() {
        return PostgresDatabase.startBundle(Map.of("honeybee.sandbox.step-ms", "600000"));
    }

    @Override
    protected String databaseName() {
        return "postgres";
    }
}
