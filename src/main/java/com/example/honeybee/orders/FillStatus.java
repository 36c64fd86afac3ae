package com.example.honeybee.orders;

/**
 * PENDING: due for POST /orders at next_attempt_at. UNKNOWN: a POST may have taken effect; reconcile
 * before any retry. PLACED: Honeybee has the order. NEEDS_REVIEW: waiting for a patient match.
 * DEAD: refused by Honeybee or out of attempts; in the dead-letter store.
 */
public enum FillStatus {
    PENDING, UNKNOWN, PLACED, NEEDS_REVIEW, DEAD
}
