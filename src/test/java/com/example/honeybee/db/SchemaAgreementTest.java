package com.example.honeybee.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import com.example.honeybee.it.PostgresDatabase;
import com.example.honeybee.webhook.WebhookFields;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

/** The startup check that the migrated schema holds every value the field catalogue accepts. */
class SchemaAgreementTest {

    @Test
    void theMigratedSchemaHoldsEveryDeclaredFieldOnH2() {
        try (HikariDataSource db = h2()) {
            HoneybeeDatabase.migrate(db);
            assertThat(SchemaAgreement.problems(db, WebhookFields.all())).isEmpty();
        }
    }

    @Test
    void theMigratedSchemaHoldsEveryDeclaredFieldOnPostgres() {
        String url = PostgresDatabase.freshSchemaUrl();
        try (HikariDataSource db = HoneybeeDatabase.createDataSource(url,
                PostgresDatabase.credentials().get("honeybee.db.user"), PostgresDatabase.credentials().get("honeybee.db.password"), 2)) {
            HoneybeeDatabase.migrate(db);
            assertThat(SchemaAgreement.problems(db, WebhookFields.all())).isEmpty();
        }
    }

    @Test
    void aColumnNarrowerThanItsFieldStopsStartupNamingBoth() {
        try (HikariDataSource db = h2()) {
            HoneybeeDatabase.migrate(db);
            new Sql(db).update("ALTER TABLE shipment ALTER COLUMN tracking_url SET DATA TYPE VARCHAR(1000)");
            new Sql(db).update("ALTER TABLE prescription ALTER COLUMN refills_left SET DATA TYPE SMALLINT");
            new Sql(db).update("ALTER TABLE prescription ALTER COLUMN written_qty SET DATA TYPE DECIMAL(12, 2)");

            assertThat(SchemaAgreement.problems(db, WebhookFields.all())).containsExactlyInAnyOrder(
                    "RX_RECEIVED medication_requests[].refills_left -> prescription.refills_left cannot hold integers from 0 to 9999",
                    "RX_UPDATED medication_requests[].refills_left -> prescription.refills_left cannot hold integers from 0 to 9999",
                    "RX_RECEIVED medication_requests[].written_qty -> prescription.written_qty cannot hold 999999999.999 with 3 decimal places",
                    "RX_UPDATED medication_requests[].written_qty -> prescription.written_qty cannot hold 999999999.999 with 3 decimal places",
                    "RX_UPDATED medication_requests[].medication_dispenses[].shipment.tracking_url -> shipment.tracking_url holds 1000 characters, the field allows 2048",
                    "SHIPMENT_UPDATED medication_requests[].medication_dispenses[].shipment.tracking_url -> shipment.tracking_url holds 1000 characters, the field allows 2048");
            assertThatThrownBy(() -> SchemaAgreement.check(db, WebhookFields.all())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("shipment.tracking_url holds 1000 characters");
        }
    }

    private static HikariDataSource h2() {
        return HoneybeeDatabase.createDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 2);
    }
}
