package com.example.honeybee.refill;

import java.time.OffsetDateTime;

/** A prescription whose next fill the refill schedule considers. */
public record RefillCandidate(long prescriptionId, String honeybeePatientId, int nextFillNumber, Integer refillsLeft,
                              Boolean active, OffsetDateTime expireDate, String lastOrderStatus, OffsetDateTime lastOrderDate,
                              Boolean refillEnrolled) {
}
