package com.example.honeybee.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;

import com.example.honeybee.db.migration.V5__Quartz_job_store;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bundle's Flyway is a guest in its host's database: its own location and history table, next to a
 * host's Flyway; a database migrated by an earlier version (history in Flyway's default table) is adopted,
 * not migrated twice; and no migrations found is a loud failure, never an empty schema.
 */
class HoneybeeDatabaseTest {

    private HikariDataSource dataSource;
    private Sql sql;

    @BeforeEach
    void database() {
        dataSource = HoneybeeDatabase.createDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 2);
        sql = new Sql(dataSource);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void keepsItsHistoryInItsOwnTableBesideTheHostsFlyway() {
        // the host's own Flyway, with its own history in Flyway's default table
        Flyway.configure().dataSource(dataSource).locations("classpath:host/db/migration").load().migrate();

        HoneybeeDatabase.migrate(dataSource);

        assertThat(sql.query("SELECT \"description\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL", row -> row.getString(1)))
                .containsExactly("host thing");
        assertThat(sql.count("SELECT COUNT(*) FROM \"honeybee_schema_history\" WHERE \"success\" = TRUE")).isGreaterThanOrEqualTo(6);
        assertThat(sql.count("SELECT COUNT(*) FROM host_thing")).isZero();
        assertThat(sql.count("SELECT COUNT(*) FROM inbox")).isZero();
    }

    @Test
    void adoptsADatabaseMigratedByAnEarlierVersionIntoItsOwnHistory() {
        // what earlier versions did: the same migrations, history in Flyway's default table
        Flyway.configure().dataSource(dataSource).locations(HoneybeeDatabase.MIGRATIONS).javaMigrations(new V5__Quartz_job_store())
                .placeholders(Map.of("binary_type", "VARBINARY(16777216)")).load().migrate();
        sql.update("INSERT INTO inbox (event_id, event_type, body_sha256, status, received_at) VALUES ('kept', 'RX_RECEIVED', ?, 'PROCESSED', ?)",
                "0".repeat(64), java.time.Instant.now());

        HoneybeeDatabase.migrate(dataSource);

        assertThat(sql.queryOne("SELECT \"description\" FROM \"honeybee_schema_history\" WHERE \"type\" = 'BASELINE'", row -> row.getString(1)))
                .contains("adopted from flyway_schema_history");
        assertThat(sql.count("SELECT COUNT(*) FROM inbox WHERE event_id = 'kept'")).isEqualTo(1);
    }

    @Test
    void refusesToGoOnWhenNoMigrationIsFound() {
        assertThatThrownBy(() -> HoneybeeDatabase.migrate(dataSource, "classpath:honeybee/no-such-folder"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("classpath:honeybee/no-such-folder");
        assertThatThrownBy(() -> HoneybeeDatabase.migrate(dataSource, "classpath:host/empty"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to start on an empty schema");
    }
}
