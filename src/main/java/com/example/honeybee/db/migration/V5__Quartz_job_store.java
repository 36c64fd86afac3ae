package com.example.honeybee.db.migration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.Locale;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The tables of Quartz's JDBC job store (used when honeybee.quartz.clustered=true), from the DDL that
 * the Quartz jar itself ships for H2 and PostgreSQL, so the schema always matches the Quartz version.
 */
public class V5__Quartz_job_store extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        String product = context.getConnection().getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        String script = read("org/quartz/impl/jdbcjobstore/" + (product.contains("postgres") ? "tables_postgres.sql" : "tables_h2.sql"));
        try (Statement statement = context.getConnection().createStatement()) {
            for (String sql : script.replaceAll("(?m)^\\s*--.*$", "").split(";")) {
                String trimmed = sql.trim();
                // the scripts end with COMMIT; Flyway owns the transaction
                if (!trimmed.isEmpty() && !trimmed.equalsIgnoreCase("commit")) {
                    statement.execute(trimmed);
                }
            }
        }
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = V5__Quartz_job_store.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Quartz's DDL " + resource + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
