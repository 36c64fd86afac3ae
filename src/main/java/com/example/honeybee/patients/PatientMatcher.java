package com.example.honeybee.patients;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

import com.example.honeybee.db.Sql;
import com.example.honeybee.support.HoneybeeHeaders;
import com.example.honeybee.support.LogSafe;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches Honeybee's patient_id to exactly one partner patient: an existing link, then the partner's
 * EHR ids, then email from GET /patients (exact, case-insensitive), then first+last+dob. Several
 * candidates or none go to the review queue; a match is never guessed. A match is remembered in
 * patient_link. A matched patient without a usable address needs review too.
 */
public class PatientMatcher {

    /** Exchange property holding GET /patients/{id}'s answer (PHI). */
    public static final String HONEYBEE_PATIENT = "HoneybeePatient";
    /** Exchange property holding the matched {@link PartnerPatient} (PHI). */
    public static final String PARTNER_PATIENT = "HoneybeePartnerPatient";

    private static final Logger LOG = LoggerFactory.getLogger(PatientMatcher.class);

    private final PartnerPatientDirectory directory;
    private final Sql sql;
    private final Clock clock;

    /** The partner's records this matcher reads (the host's own directory, or the partner_patient table). */
    public PartnerPatientDirectory directory() {
        return directory;
    }

    public PatientMatcher(PartnerPatientDirectory directory, Sql sql, Clock clock) {
        this.directory = directory;
        this.sql = sql;
        this.clock = clock;
    }

    /** Route step: matches the exchange's patient, sets {@link #PARTNER_PATIENT}, or throws for review. */
    public void match(Exchange exchange) {
        String honeybeeId = exchange.getMessage().getHeader(HoneybeeHeaders.PATIENT_ID, String.class);
        JsonNode honeybeePatient = exchange.getProperty(HONEYBEE_PATIENT, JsonNode.class);
        exchange.setProperty(PARTNER_PATIENT, match(honeybeeId, honeybeePatient));
    }

    public PartnerPatient match(String honeybeeId, JsonNode honeybeePatient) {
        Optional<String> linked = sql.queryOne("SELECT partner_patient_id FROM patient_link WHERE honeybee_patient_id = ?",
                row -> row.getString(1), honeybeeId);
        PartnerPatient patient;
        if (linked.isPresent()) {
            patient = directory.find(linked.get()).orElseThrow(() -> new PatientReviewNeededException(honeybeeId,
                    "linked partner patient no longer exists", 0));
        } else {
            patient = firstUniqueMatch(honeybeeId, honeybeePatient);
        }
        if (!patient.hasUsableAddress()) {
            throw new PatientReviewNeededException(honeybeeId, "matched partner patient " + patient.partnerPatientId()
                    + " has no usable shipping address", 1);
        }
        return patient;
    }

    private PartnerPatient firstUniqueMatch(String honeybeeId, JsonNode honeybeePatient) {
        List<PartnerPatient> byEhr = directory.findByEhrId(honeybeeId);
        if (!byEhr.isEmpty()) {
            return decide(honeybeeId, byEhr, "ehr_id");
        }
        JsonNode patient = unwrap(honeybeePatient);
        String email = text(patient, "email");
        if (email != null) {
            List<PartnerPatient> byEmail = directory.findByEmail(email);
            if (!byEmail.isEmpty()) {
                return decide(honeybeeId, byEmail, "email");
            }
        }
        String first = text(patient, "first_name");
        String last = text(patient, "last_name");
        LocalDate dob = date(text(patient, "dob"));
        if (first != null && last != null && dob != null) {
            List<PartnerPatient> byName = directory.findByNameAndDob(first, last, dob);
            if (!byName.isEmpty()) {
                return decide(honeybeeId, byName, "name_dob");
            }
        }
        throw new PatientReviewNeededException(honeybeeId, "no partner patient matches by ehr_id, email or name and dob", 0);
    }

    private PartnerPatient decide(String honeybeeId, List<PartnerPatient> candidates, String rule) {
        if (candidates.size() > 1) {
            throw new PatientReviewNeededException(honeybeeId, candidates.size() + " partner patients match by " + rule,
                    candidates.size());
        }
        PartnerPatient patient = candidates.get(0);
        link(honeybeeId, patient.partnerPatientId(), rule);
        return patient;
    }

    /** Remembers a match (also used when an operator resolves a review). */
    public void link(String honeybeeId, String partnerPatientId, String rule) {
        sql.upsert("UPDATE patient_link SET partner_patient_id = ?, matched_by = ?, matched_at = ? WHERE honeybee_patient_id = ?",
                new Object[] {partnerPatientId, rule, clock.instant(), honeybeeId},
                "INSERT INTO patient_link (partner_patient_id, matched_by, matched_at, honeybee_patient_id) VALUES (?, ?, ?, ?)",
                new Object[] {partnerPatientId, rule, clock.instant(), honeybeeId});
        LOG.info("patient {} matched to partner patient {} by {}", LogSafe.escape(honeybeeId), LogSafe.escape(partnerPatientId), rule);
    }

    /** GET /patients answers the resource bare or wrapped in "patient": both are read. */
    static JsonNode unwrap(JsonNode answer) {
        if (answer == null) {
            return null;
        }
        return answer.has("patient") && answer.get("patient").isObject() ? answer.get("patient") : answer;
    }

    private static String text(JsonNode node, String field) {
        if (node == null || !node.hasNonNull(field)) {
            return null;
        }
        String value = node.get(field).asText().trim();
        return value.isEmpty() ? null : value;
    }

    private static LocalDate date(String text) {
        try {
            return text == null ? null : LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
