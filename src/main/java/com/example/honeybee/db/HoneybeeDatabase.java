package com.example.honeybee.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/**
 * Builds the pooled DataSource from the {@code honeybee.db.*} settings and brings the schema up to
 * date with Flyway before any route starts.
 */
public final class HoneybeeDatabase {

    private HoneybeeDatabase() {
    }

    public static HikariDataSource createDataSource(String url, String user, String password, int maxPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("honeybee-db");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(Math.min(2, maxPoolSize));
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }

    /** Applies the migrations under {@code db/migration}; the binary column type differs per database. */
    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .placeholders(Map.of("binary_type", binaryType(dataSource)))
                .load()
                .migrate();
    }

    static String binaryType(DataSource dataSource) {
        return isPostgres(dataSource) ? "BYTEA" : "VARBINARY(16777216)";
    }

    public static boolean isPostgres(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the database: SQLState " + e.getSQLState(), e);
        }
    }
}
