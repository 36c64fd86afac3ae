package com.example.honeybee.patients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.time.LocalDate;
import java.util.UUID;

import com.example.honeybee.db.HoneybeeDatabase;
import com.example.honeybee.db.Sql;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The partner patient CSV import: RFC 4180 as a spreadsheet writes it, and errors that name the record, not the data. */
class PatientCsvImporterTest {

    private static final String HEADER = "partner_patient_id,ehr_id,email,first_name,last_name,dob,phone,street1,street2,city,state,zip,refill_enrolled\r\n";

    private HikariDataSource dataSource;
    private JdbcPartnerPatientDirectory directory;

    @BeforeEach
    void database() {
        dataSource = HoneybeeDatabase.createDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 2);
        HoneybeeDatabase.migrate(dataSource);
        directory = new JdbcPartnerPatientDirectory(new Sql(dataSource));
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void readsTheOptionalIdentityDocumentColumns() throws Exception {
        String csv = HEADER.replace("\r\n", ",id_document_type,id_document_number,id_document_country,id_document_state\r\n")
                + "P-1,,a@example.com,Ann,Lee,1990-06-14,,1 Main St,,Austin,TX,78701,true,DL,D1234567,US,TX\r\n"
                + "P-2,,b@example.com,Bo,Lee,1991-06-14,,1 Main St,,Austin,TX,78701,true,,,,\r\n";

        assertThat(PatientCsvImporter.importFrom("test.csv", new StringReader(csv), directory)).isEqualTo(2);

        assertThat(directory.find("P-1").orElseThrow().identityDocument()).isEqualTo(new IdentityDocument("DL", "D1234567", "US", "TX"));
        assertThat(directory.find("P-2").orElseThrow().identityDocument()).isNull();
        assertThat(directory.find("P-1").orElseThrow().identityDocument().toString()).doesNotContain("D1234567");
    }

    @Test
    void readsQuotedCommasDoubledQuotesAndLineBreaksInsideQuotes() throws Exception {
        String csv = HEADER
                + "P-1,,a@example.com,Ann,\"O'Neil, Jr.\",1990-06-14,310-555-0192,\"12 \"\"Old\"\" Rd\",\"Unit 4\nBack door\",Austin,TX,78701,\r\n"
                + "P-2,EHR-2,,Bo,Li,,,1 Main St,,Austin,TX,78701,false\r\n";

        assertThat(PatientCsvImporter.importFrom("test.csv", new StringReader(csv), directory)).isEqualTo(2);

        PartnerPatient ann = directory.find("P-1").orElseThrow();
        assertThat(ann.lastName()).isEqualTo("O'Neil, Jr.");
        assertThat(ann.street1()).isEqualTo("12 \"Old\" Rd");
        assertThat(ann.street2()).isEqualTo("Unit 4\nBack door");
        assertThat(ann.dob()).isEqualTo(LocalDate.of(1990, 6, 14));
        assertThat(ann.ehrId()).isNull();
        assertThat(ann.refillEnrolled()).isTrue();
        assertThat(directory.find("P-2").orElseThrow().refillEnrolled()).isFalse();
    }

    @Test
    void refusesAWrongHeaderAMissingIdAndABadDateWithoutQuotingTheData() {
        assertThatThrownBy(() -> PatientCsvImporter.importFrom("x.csv", new StringReader("id,email\r\nP-1,a@example.com\r\n"), directory))
                .hasMessageContaining("must start with the header partner_patient_id,");
        assertThatThrownBy(() -> PatientCsvImporter.importFrom("x.csv",
                new StringReader(HEADER + ",,secret@example.com,,,,,,,,,,\r\n"), directory))
                .hasMessageContaining("record 1 has no partner_patient_id").hasMessageNotContaining("secret@example.com");
        assertThatThrownBy(() -> PatientCsvImporter.importFrom("x.csv",
                new StringReader(HEADER + "P-9,,,,,14/06/1990,,,,,,,\r\n"), directory))
                .hasMessageContaining("record 1 dob is not YYYY-MM-DD").hasMessageNotContaining("14/06/1990");
        assertThatThrownBy(() -> PatientCsvImporter.importFrom("x.csv", new StringReader(HEADER + "P-9,only,three\r\n"), directory))
                .hasMessageContaining("record 1 has 3 columns, expected 13");
    }
}
