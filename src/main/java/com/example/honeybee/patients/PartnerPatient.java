package com.example.honeybee.patients;

import java.time.LocalDate;

/** A patient as the partner's own records know them: PHI, never logged (toString shows the id only). */
public record PartnerPatient(String partnerPatientId, String ehrId, String email, String firstName, String lastName,
                             LocalDate dob, String phone, String street1, String street2, String city, String state,
                             String zip, boolean refillEnrolled) {

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
