package com.example.honeybee.it;

/** The event flows, migrations included, on PostgreSQL. */
class PostgresEventFlowsTest extends EventFlowsTest {

    @Override
    protected RunningBundle startBundle() {
        return RunningBundle.start(PostgresDatabase.freshSchemaUrl(), PostgresDatabase.credentials());
    }
}
