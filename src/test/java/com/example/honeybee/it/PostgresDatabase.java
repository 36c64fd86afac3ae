package com.example.honeybee.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * The PostgreSQL server tests run against: HONEYBEE_TEST_PG_URL (default the local server, database
 * test, user postgres). Each call makes a schema of its own. Where no server answers, the test is
 * skipped with a message, unless HONEYBEE_REQUIRE_POSTGRES=true (as in CI), where it fails.
 */
public final class PostgresDatabase {

    static final String URL = env("HONEYBEE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = env("HONEYBEE_TEST_PG_USER", "postgres");
    static final String PASSWORD = env("HONEYBEE_TEST_PG_PASSWORD", "");

    private PostgresDatabase() {
    }

    /** A new, empty schema; answers the JDBC URL that uses it. */
    public static String freshSchemaUrl() {
        String schema = "hb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            if (Boolean.parseBoolean(System.getenv("HONEYBEE_REQUIRE_POSTGRES"))) {
                throw new IllegalStateException("PostgreSQL is required (HONEYBEE_REQUIRE_POSTGRES=true) but " + URL
                        + " is not reachable: " + e.getMessage(), e);
            }
            assumeTrue(false, "PostgreSQL not reachable at " + URL + " (" + e.getMessage() + "): skipping PostgreSQL tests");
        }
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** A bundle on a fresh schema of its own, with the test's overrides. */
    public static RunningBundle startBundle(Map<String, String> overrides) {
        Map<String, String> properties = new java.util.HashMap<>(credentials());
        properties.putAll(overrides);
        return RunningBundle.start(freshSchemaUrl(), properties);
    }

    public static Map<String, String> credentials() {
        return Map.of("honeybee.db.user", USER, "honeybee.db.password", PASSWORD);
    }

    private static String env(String name, String defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : value;
    }
}
