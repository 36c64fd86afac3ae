package com.example.honeybee.it;

import java.util.Map;

/** RX_UPDATED's prescription updates on PostgreSQL (its COALESCE over typed NULL parameters differs from H2's). */
class PostgresPrescriptionUpdateTest extends PrescriptionUpdateTest {

    @Override
    protected RunningBundle startBundle(Map<String, String> properties) {
        return PostgresDatabase.startBundle(properties);
    }
}
