package com.example.honeybee.patients;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads honeybee.patients.import-csv at startup into the default directory: RFC 4180 CSV (Apache Commons
 * CSV, the parser camel-csv uses), with the header
 * partner_patient_id,ehr_id,email,first_name,last_name,dob,phone,street1,street2,city,state,zip,refill_enrolled,
 * optionally followed by the identity document's columns id_document_type,id_document_number,id_document_country,
 * id_document_state (a controlled-substance order needs them; checked when ordering, not here).
 * Errors name the record and column, never the value (the file holds PHI).
 */
public final class PatientCsvImporter {

    static final List<String> HEADER = List.of("partner_patient_id", "ehr_id", "email", "first_name", "last_name", "dob", "phone",
            "street1", "street2", "city", "state", "zip", "refill_enrolled");
    static final List<String> DOCUMENT_COLUMNS = List.of("id_document_type", "id_document_number", "id_document_country",
            "id_document_state");
    private static final String PROPERTY = "honeybee.patients.import-csv";
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();
    private static final Logger LOG = LoggerFactory.getLogger(PatientCsvImporter.class);

    private PatientCsvImporter() {
    }

    /** Imports a file path, or a {@code classpath:} resource (the demo's patients travel in the jar); answers how many. */
    public static int importLocation(String location, JdbcPartnerPatientDirectory directory) throws IOException {
        if (location.startsWith("classpath:")) {
            String resource = location.substring("classpath:".length()).replaceFirst("^/", "");
            InputStream in = PatientCsvImporter.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new IllegalArgumentException(PROPERTY + ": no resource " + location);
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return importFrom(location, reader, directory);
            }
        }
        try (Reader reader = Files.newBufferedReader(Path.of(location), StandardCharsets.UTF_8)) {
            return importFrom(location, reader, directory);
        }
    }

    static int importFrom(String location, Reader csv, JdbcPartnerPatientDirectory directory) throws IOException {
        try (CSVParser parser = FORMAT.parse(csv)) {
            List<String> withDocuments = new java.util.ArrayList<>(HEADER);
            withDocuments.addAll(DOCUMENT_COLUMNS);
            boolean documents = parser.getHeaderNames().equals(withDocuments);
            if (!documents && !parser.getHeaderNames().equals(HEADER)) {
                throw new IllegalArgumentException(PROPERTY + ": " + location + " must start with the header " + String.join(",", HEADER)
                        + " (optionally followed by ," + String.join(",", DOCUMENT_COLUMNS) + ")");
            }
            int columns = documents ? withDocuments.size() : HEADER.size();
            int imported = 0;
            for (CSVRecord row : parser) {
                if (row.size() != columns) {
                    throw new IllegalArgumentException(PROPERTY + ": record " + row.getRecordNumber() + " has " + row.size()
                            + " columns, expected " + columns);
                }
                IdentityDocument document = documents && DOCUMENT_COLUMNS.stream().anyMatch(c -> !row.get(c).isBlank())
                        ? new IdentityDocument(blank(row, "id_document_type"), blank(row, "id_document_number"),
                                blank(row, "id_document_country"), blank(row, "id_document_state"))
                        : null;
                directory.upsert(new PartnerPatient(required(row, "partner_patient_id"), blank(row, "ehr_id"), blank(row, "email"),
                        blank(row, "first_name"), blank(row, "last_name"), date(row), blank(row, "phone"), blank(row, "street1"),
                        blank(row, "street2"), blank(row, "city"), blank(row, "state"), blank(row, "zip"),
                        row.get("refill_enrolled").isBlank() || Boolean.parseBoolean(row.get("refill_enrolled")), document));
                imported++;
            }
            LOG.info("imported {} partner patients from {}", imported, location);
            return imported;
        } catch (java.io.UncheckedIOException | IllegalStateException e) {
            // Commons CSV reports malformed quoting this way; its message may quote the data, so only the position is kept
            throw new IllegalArgumentException(PROPERTY + ": " + location + " is not valid CSV (RFC 4180)");
        }
    }

    private static String required(CSVRecord row, String column) {
        if (row.get(column).isBlank()) {
            throw new IllegalArgumentException(PROPERTY + ": record " + row.getRecordNumber() + " has no " + column);
        }
        return row.get(column);
    }

    private static String blank(CSVRecord row, String column) {
        String value = row.get(column);
        return value.isBlank() ? null : value;
    }

    private static LocalDate date(CSVRecord row) {
        String value = row.get("dob");
        if (value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(PROPERTY + ": record " + row.getRecordNumber() + " dob is not YYYY-MM-DD");
        }
    }
}
