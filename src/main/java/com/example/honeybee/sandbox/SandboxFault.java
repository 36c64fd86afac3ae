package com.example.honeybee.sandbox;

/** What the sandbox can do to a POST /orders instead of answering it normally. */
public enum SandboxFault {
    /** 500 before anything is created. */
    SERVER_ERROR,
    /** 502 before anything is created. */
    BAD_GATEWAY,
    /** 503 with Retry-After, nothing created. */
    UNAVAILABLE,
    /** 429 with Retry-After, nothing created. */
    TOO_MANY_REQUESTS,
    /** The order is created, then the answer comes later than the client waits. */
    TIMEOUT_AFTER_CREATE,
    /** 409 "conflicting with another recent request", nothing created (the request it conflicted with failed). */
    CONFLICT,
    /** 409 "conflicting with another recent request" while an identical order is in flight: the order is created. */
    CONFLICT_IN_FLIGHT
}
