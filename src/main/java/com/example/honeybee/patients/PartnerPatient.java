package com.example.honeybee.patients;

import java.time.LocalDate;

/**
 * A patient as the partner's own records know them: PHI, never logged (toString shows the id only).
 * {@code identityDocument} (may be null) is what a controlled-substance order (drug_schedule 2-5) carries.
 */
public record PartnerPatient(String partnerPatientId, String ehrId, String email, String firstName, String lastName,
                             LocalDate dob, String phone, String street1, String street2, String city, String state,
                             String zip, boolean refillEnrolled, IdentityDocument identityDocument) {

    /** A record without an identity document. */
    public PartnerPatient(String partnerPatientId, String ehrId, String email, String firstName, String lastName,
                          LocalDate dob, String phone, String street1, String street2, String city, String state,
                          String zip, boolean refillEnrolled) {
        this(partnerPatientId, ehrId, email, firstName, lastName, dob, phone, street1, street2, city, state, zip, refillEnrolled, null);
    }

    /** The same record with this identity document. */
    public PartnerPatient withIdentityDocument(IdentityDocument document) {
        return new PartnerPatient(partnerPatientId, ehrId, email, firstName, lastName, dob, phone, street1, street2, city, state, zip,
                refillEnrolled, document);
    }

    /** Whether an order can be shipped with this record: name, street, city, state and zip present. */
    public boolean hasUsableAddress() {
        return present(firstName) && present(lastName) && present(street1) && present(city) && present(state) && present(zip);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    @Override
    public String toString() {
        return "PartnerPatient[" + partnerPatientId + "]";
    }
}
