package com.example.honeybee.orders;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.example.honeybee.patients.IdentityDocument;
import com.example.honeybee.patients.PartnerPatient;
import com.example.honeybee.patients.PatientMatcher;
import com.example.honeybee.patients.PatientReviewNeededException;
import com.example.honeybee.record.Prescription;
import com.example.honeybee.record.PrescriptionRepository;
import org.apache.camel.Exchange;

/**
 * The outbox step before a controlled-substance order (drug_schedule 2 to 5): Honeybee refuses such an order
 * without {@code identity_documents} (422, code 42208; 42216/42217/42218 for a bad type, country or state), so
 * the partner's record of the patient must hold a usable {@link IdentityDocument}. When it does, the document is
 * put in the exchange property {@value #DOCUMENT} for {@link OrderRequestFactory}; when it does not, the fill
 * waits in the review queue as "identity document needed" (a {@link PatientReviewNeededException}) instead of
 * being sent to fail. drug_schedule is read tolerantly: {@code 4}, {@code "4"}, {@code "CIV"} or {@code "IV"}.
 */
public class ControlledSubstances {

    /** Exchange property: the identity document a controlled-substance order carries. */
    public static final String DOCUMENT = "HoneybeeIdentityDocument";
    /** Every reason this step gives starts with this, so operators (and the ops API) can tell these reviews apart. */
    public static final String REVIEW_REASON = "identity document needed";
    private static final Map<String, Integer> ROMAN = Map.of("I", 1, "II", 2, "III", 3, "IV", 4, "V", 5);

    private final PrescriptionRepository prescriptions;

    public ControlledSubstances(PrescriptionRepository prescriptions) {
        this.prescriptions = prescriptions;
    }

    /** Route step after patient matching; see the class comment. */
    public void check(Exchange exchange) {
        Fill fill = exchange.getProperty(OrderPlacement.FILL, Fill.class);
        exchange.removeProperty(DOCUMENT);
        if (fill == null || !fill.hasPrescription()) {
            return;
        }
        Prescription rx = prescriptions.find(fill.prescriptionId()).orElse(null);
        Integer schedule = rx == null ? null : schedule(rx.drugSchedule());
        if (schedule == null || schedule < 2 || schedule > 5) {
            return;
        }
        PartnerPatient patient = exchange.getProperty(PatientMatcher.PARTNER_PATIENT, PartnerPatient.class);
        IdentityDocument document = patient == null ? null : patient.identityDocument();
        String problem = document == null ? "the partner's record of the patient holds no identity document" : document.problem();
        if (problem != null) {
            throw new PatientReviewNeededException(fill.honeybeePatientId(), REVIEW_REASON + " for prescription " + fill.prescriptionId()
                    + " (drug_schedule " + schedule + "): " + problem, 1);
        }
        exchange.setProperty(DOCUMENT, document.normalized());
    }

    /** The DEA schedule as a number 0-5, or null when unreadable. */
    static Integer schedule(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.trim().toUpperCase(Locale.ROOT);
        if (value.startsWith("C") && value.length() > 1) {
            value = value.substring(1);
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return ROMAN.get(value);
        }
    }

    /** The configured field names of one identity_documents entry: type, number, issuing country, issuing state. */
    public static List<String> fieldNames(List<String> configured) {
        if (configured.size() != 4 || configured.stream().anyMatch(name -> !name.matches("[A-Za-z_][A-Za-z0-9_]{0,60}"))
                || configured.stream().distinct().count() != 4) {
            throw new IllegalStateException("honeybee.order.identity-document-fields must be four distinct JSON field names"
                    + " (type, number, issuing country, issuing state, in this order); was " + configured.size() + " names");
        }
        return List.copyOf(configured);
    }
}
