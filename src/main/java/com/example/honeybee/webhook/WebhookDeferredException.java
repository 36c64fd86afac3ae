package com.example.honeybee.webhook;

/**
 * A webhook refused for now, not for what it is: 503 with a {@code Retry-After} in seconds (RFC 9110
 * sections 15.6.4 and 10.2.3). Nothing of it was stored; the sender delivers it again.
 */
public class WebhookDeferredException extends WebhookRejectedException {

    private final long retryAfterSeconds;

    public WebhookDeferredException(String reason, String message, long retryAfterSeconds) {
        super(503, reason, message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The Retry-After header's value: seconds, at least 1. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
