package com.example.honeybee.patients;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.example.honeybee.db.Sql;

/**
 * The default directory: the partner_patient table, filled by the partner or by the CSV import. The identity
 * document lives in the columns id_document_type, id_document_number, id_document_country and id_document_state.
 */
public class JdbcPartnerPatientDirectory implements PartnerPatientDirectory {

    private static final String COLUMNS = "partner_patient_id, ehr_id, email, first_name, last_name, dob, phone,"
            + " street1, street2, city, state, zip, refill_enrolled, id_document_type, id_document_number, id_document_country,"
            + " id_document_state";

    private final Sql sql;

    public JdbcPartnerPatientDirectory(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Optional<PartnerPatient> find(String partnerPatientId) {
        return sql.queryOne("SELECT " + COLUMNS + " FROM partner_patient WHERE partner_patient_id = ?", JdbcPartnerPatientDirectory::map,
                partnerPatientId);
    }

    @Override
    public List<PartnerPatient> findByEhrId(String ehrId) {
        return sql.query("SELECT " + COLUMNS + " FROM partner_patient WHERE ehr_id = ?", JdbcPartnerPatientDirectory::map, ehrId);
    }

    @Override
    public List<PartnerPatient> findByEmail(String email) {
        return sql.query("SELECT " + COLUMNS + " FROM partner_patient WHERE email_normalized = ?", JdbcPartnerPatientDirectory::map,
                normalize(email));
    }

    @Override
    public List<PartnerPatient> findByNameAndDob(String firstName, String lastName, LocalDate dob) {
        return sql.query("SELECT " + COLUMNS + " FROM partner_patient WHERE LOWER(first_name) = ? AND LOWER(last_name) = ? AND dob = ?",
                JdbcPartnerPatientDirectory::map, normalize(firstName), normalize(lastName), dob);
    }

    /** Inserts or replaces a record (the CSV import). */
    public void upsert(PartnerPatient p) {
        IdentityDocument doc = p.identityDocument();
        Object[] values = {p.ehrId(), p.email(), normalize(p.email()), p.firstName(), p.lastName(), p.dob(), p.phone(),
                p.street1(), p.street2(), p.city(), p.state(), p.zip(), p.refillEnrolled(), doc == null ? null : doc.type(),
                doc == null ? null : doc.number(), doc == null ? null : doc.issuingCountry(), doc == null ? null : doc.issuingState(),
                p.partnerPatientId()};
        sql.upsert("UPDATE partner_patient SET ehr_id = ?, email = ?, email_normalized = ?, first_name = ?, last_name = ?, dob = ?,"
                        + " phone = ?, street1 = ?, street2 = ?, city = ?, state = ?, zip = ?, refill_enrolled = ?, id_document_type = ?,"
                        + " id_document_number = ?, id_document_country = ?, id_document_state = ? WHERE partner_patient_id = ?",
                values,
                "INSERT INTO partner_patient (ehr_id, email, email_normalized, first_name, last_name, dob, phone, street1, street2,"
                        + " city, state, zip, refill_enrolled, id_document_type, id_document_number, id_document_country, id_document_state,"
                        + " partner_patient_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values);
    }

    static String normalize(String text) {
        return text == null ? null : text.trim().toLowerCase(Locale.ROOT);
    }

    private static PartnerPatient map(ResultSet row) throws SQLException {
        return new PartnerPatient(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5),
                row.getObject(6, LocalDate.class), row.getString(7), row.getString(8), row.getString(9), row.getString(10),
                row.getString(11), row.getString(12), row.getBoolean(13), document(row));
    }

    private static IdentityDocument document(ResultSet row) throws SQLException {
        String type = row.getString(14);
        String number = row.getString(15);
        String country = row.getString(16);
        String state = row.getString(17);
        return type == null && number == null && country == null && state == null ? null
                : new IdentityDocument(type, number, country, state);
    }
}
