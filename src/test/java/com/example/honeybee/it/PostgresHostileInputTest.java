package com.example.honeybee.it;

import java.util.Map;

/** The hostile inputs on PostgreSQL, which refuses U+0000 in text where H2 stores it. */
class PostgresHostileInputTest extends HostileInputTest {

    @Override
    protected RunningBundle startBundle() {
        return PostgresDatabase.startBundle(Map.of("honeybee.sandbox.step-ms", "600000"));
    }
}
