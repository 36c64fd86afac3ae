package com.example.honeybee.webhook;

/**
 * A webhook request refused for what it is (never for a fault of ours): carries the HTTP status, a
 * message for the sender that names what was wrong, and a short reason code for metrics. Messages
 * never quote the body.
 */
public class WebhookRejectedException extends RuntimeException {

    private final int status;
    private final String reason;

    public WebhookRejectedException(int status, String reason, String message) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }
}
