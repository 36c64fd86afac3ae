package com.example.honeybee.patients;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The partner's patient records, as matching reads them. The default reads the partner_patient table;
 * bind another implementation as "partnerPatientDirectory" to read the partner's own system instead.
 */
public interface PartnerPatientDirectory {

    Optional<PartnerPatient> find(String partnerPatientId);

    List<PartnerPatient> findByEhrId(String ehrId);

    /** Exact, case-insensitive. */
    List<PartnerPatient> findByEmail(String email);

    /** Exact on dob, case-insensitive on names. */
    List<PartnerPatient> findByNameAndDob(String firstName, String lastName, LocalDate dob);
}
