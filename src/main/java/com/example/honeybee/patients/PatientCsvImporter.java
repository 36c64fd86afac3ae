package com.example.honeybee.patients;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads honeybee.patients.import-csv at startup into the default directory. Header:
 * partner_patient_id,ehr_id,email,first_name,last_name,dob,phone,street1,street2,city,state,zip,refill_enrolled.
 * Errors name the line and column, never the value.
 */
public final class PatientCsvImporter {

    static final List<String> HEADER = List.of("partner_patient_id", "ehr_id", "email", "first_name", "last_name", "dob", "phone",
            "street1", "street2", "city", "state", "zip", "refill_enrolled");
    private static final Logger LOG = LoggerFactory.getLogger(PatientCsvImporter.class);

    private PatientCsvImporter() {
    }

    /** Imports a file path, or a {@code classpath:} resource (the demo's patients travel in the jar). */
    public static int importLocation(String location, JdbcPartnerPatientDirectory directory) throws IOException {
        if (location.startsWith("classpath:")) {
            String resource = location.substring("classpath:".length()).replaceFirst("^/", "");
            try (var in = PatientCsvImporter.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalArgumentException("honeybee.patients.import-csv: no resource " + location);
                }
                return importLines(location, new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList(), directory);
            }
        }
        return importLines(location, Files.readAllLines(Path.of(location), StandardCharsets.UTF_8), directory);
    }

    static int importLines(String file, List<String> lines, JdbcPartnerPatientDirectory directory) {
        if (lines.isEmpty() || !split(lines.get(0)).equals(HEADER)) {
            throw new IllegalArgumentException("honeybee.patients.import-csv: " + file + " must start with the header "
                    + String.join(",", HEADER));
        }
        int imported = 0;
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> cells = split(lines.get(i));
            if (cells.size() != HEADER.size()) {
                throw new IllegalArgumentException("honeybee.patients.import-csv: line " + (i + 1) + " has " + cells.size()
                        + " columns, expected " + HEADER.size());
            }
            directory.upsert(new PartnerPatient(required(cells, 0, i), blank(cells.get(1)), blank(cells.get(2)), blank(cells.get(3)),
                    blank(cells.get(4)), date(cells.get(5), i), blank(cells.get(6)), blank(cells.get(7)), blank(cells.get(8)),
                    blank(cells.get(9)), blank(cells.get(10)), blank(cells.get(11)),
                    cells.get(12).isBlank() || Boolean.parseBoolean(cells.get(12).trim())));
            imported++;
        }
        LOG.info("imported {} partner patients from {}", imported, file);
        return imported;
    }

    /** One CSV line: commas separate, double quotes enclose, a doubled quote inside quotes is a quote. */
    static List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().trim());
        return cells;
    }

    private static String required(List<String> cells, int column, int line) {
        if (cells.get(column).isBlank()) {
            throw new IllegalArgumentException("honeybee.patients.import-csv: line " + (line + 1) + " has no " + HEADER.get(column));
        }
        return cells.get(column);
    }

    private static String blank(String value) {
        return value.isBlank() ? null : value;
    }

    private static LocalDate date(String value, int line) {
        if (value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("honeybee.patients.import-csv: line " + (line + 1) + " dob is not YYYY-MM-DD");
        }
    }
}
