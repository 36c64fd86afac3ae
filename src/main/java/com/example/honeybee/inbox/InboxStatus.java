package com.example.honeybee.inbox;

/** Life of an inbox row. PENDING rows are claimed with a lease; the others are final until replayed. */
public enum InboxStatus {
    PENDING, PROCESSED, UNKNOWN_TYPE, DEAD
}
