package com.example.honeybee.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.OptionalInt;

import javax.sql.DataSource;

import com.example.honeybee.db.migration.V5__Quartz_job_store;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the pooled DataSource from the {@code honeybee.db.*} settings and brings the schema up to
 * date with Flyway before any route starts. The bundle is a guest in its host's database: its migrations
 * live in their own location ({@value #MIGRATIONS}) with their own history table ({@value #HISTORY_TABLE}),
 * found through the bundle's class loader, so a host's own Flyway neither runs them nor sees their history.
 */
public final class HoneybeeDatabase {

    public static final String MIGRATIONS = "classpath:honeybee/db/migration";
    public static final String HISTORY_TABLE = "honeybee_schema_history";
    /** Where versions before the namespaced history kept it: Flyway's default table. */
    static final String LEGACY_HISTORY_TABLE = "flyway_schema_history";

    private static final Logger LOG = LoggerFactory.getLogger(HoneybeeDatabase.class);

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

    /**
     * Applies the bundle's migrations. A database migrated by an earlier version of the bundle (history in
     * Flyway's default table, whose first entry is this bundle's V1 "inbox") is adopted: the new history
     * table starts at the version that table reached. In a schema the host already uses, the history starts
     * at version 0 and every migration runs. Fails when no migration was found, rather than going on with an
     * empty schema.
     *
     * @throws IllegalStateException when the migrations are missing from the class path or leave no schema version
     */
    public static void migrate(DataSource dataSource) {
        migrate(dataSource, MIGRATIONS);
    }

    static void migrate(DataSource dataSource, String location) {
        var configuration = Flyway.configure(HoneybeeDatabase.class.getClassLoader())
                .dataSource(dataSource)
                .locations(location)
                .failOnMissingLocations(true)
                .javaMigrations(new V5__Quartz_job_store())
                .table(HISTORY_TABLE)
                .placeholders(Map.of("binary_type", binaryType(dataSource)));
        // a schema shared with the host is not empty, and its tables are not ours: our history starts at 0 there
        configuration.baselineOnMigrate(true).baselineVersion("0").baselineDescription("before the bundle's first migration");
        OptionalInt adopted = legacyVersion(dataSource);
        if (adopted.isPresent()) {
            LOG.info("adopting the bundle's schema at version {} from {} into {}", adopted.getAsInt(), LEGACY_HISTORY_TABLE, HISTORY_TABLE);
            configuration.baselineVersion(String.valueOf(adopted.getAsInt())).baselineDescription("adopted from " + LEGACY_HISTORY_TABLE);
        }
        Flyway flyway = configuration.load();
        MigrateResult result;
        try {
            result = flyway.migrate();
        } catch (org.flywaydb.core.api.FlywayException e) {
            throw new IllegalStateException("Flyway could not migrate the bundle's schema from " + location + ": " + e.getMessage(), e);
        }
        if (flyway.info().current() == null || !tableExists(dataSource, "inbox")) {
            throw new IllegalStateException("Flyway found no migrations at " + location + " (applied " + result.migrationsExecuted
                    + "): the bundle's jar is incomplete or shadowed; refusing to start on an empty schema");
        }
    }

    /**
     * The highest version an earlier bundle recorded in Flyway's default history table, when that table is
     * this bundle's (its V1 is "inbox") and the namespaced history table does not exist yet.
     */
    static OptionalInt legacyVersion(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            if (tableExists(connection, HISTORY_TABLE) || !tableExists(connection, LEGACY_HISTORY_TABLE)) {
                return OptionalInt.empty();
            }
            int highest = 0;
            boolean ours = false;
            try (ResultSet rows = statement.executeQuery("SELECT \"version\", \"description\" FROM \"" + LEGACY_HISTORY_TABLE
                    + "\" WHERE \"success\" = TRUE AND \"version\" IS NOT NULL")) {
                while (rows.next()) {
                    int version = Integer.parseInt(rows.getString(1));
                    ours |= version == 1 && "inbox".equals(rows.getString(2));
                    highest = Math.max(highest, version);
                }
            }
            return ours ? OptionalInt.of(highest) : OptionalInt.empty();
        } catch (SQLException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static boolean tableExists(DataSource dataSource, String table) {
        try (Connection connection = dataSource.getConnection()) {
            return tableExists(connection, table);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the database: SQLState " + e.getSQLState(), e);
        }
    }

    private static boolean tableExists(Connection connection, String table) throws SQLException {
        String schema = connection.getSchema();
        try (ResultSet tables = connection.getMetaData().getTables(null, schema, table, null)) {
            if (tables.next()) {
                return true;
            }
        }
        try (ResultSet tables = connection.getMetaData().getTables(null, schema, table.toUpperCase(java.util.Locale.ROOT), null)) {
            return tables.next();
        }
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
