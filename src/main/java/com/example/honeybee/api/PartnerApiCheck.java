package com.example.honeybee.api;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.example.honeybee.orders.RetrySchedule;
import com.example.honeybee.orders.ShippingMethods;
import com.example.honeybee.support.FailureReason;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Partner API check (a token, and honeybee.shipping.method-id against GET /shipping_methods), run by
 * the honeybee-partner-api-check route from startup on and retried with backoff until it passes. Webhook
 * intake never waits for it: the bundle starts and acknowledges events whatever its state, and the order
 * outbox holds fills until it has passed ({@link #isReady()}). Its state is a readiness detail
 * (/observe/health/ready) and shown on the ops page.
 * <p>
 * States: {@code checking} (no answer yet), {@code ready}, {@code unavailable} (no connection, timeout,
 * 5xx, 429: Honeybee may come back), {@code misconfigured} (a definite mistake that retrying cannot fix:
 * the token endpoint refused the credentials with invalid_client, the shipping method id is not one of
 * Honeybee's, the API refused GET /shipping_methods with a 4xx). A misconfiguration is logged at ERROR,
 * an outage at WARN, each once per change, never on every retry. Messages carry property names and
 * statuses, never secrets.
 */
public class PartnerApiCheck {

    /** The check's states, as readiness and the ops API show them (lower case). */
    public enum State { CHECKING, READY, UNAVAILABLE, MISCONFIGURED }

    private static final Logger LOG = LoggerFactory.getLogger(PartnerApiCheck.class);

    private final boolean enabled;
    private final RetrySchedule backoff;
    private final Clock clock;

    private State state = State.CHECKING;
    private String message = "not checked yet";
    private Instant since;
    private Instant nextCheckAt = Instant.MIN;
    private int attempts;
    private String lastLogged;

    /**
     * @param enabled honeybee.startup.verify-partner-api: when false nothing is checked and the outbox never waits
     * @param backoff the waits between checks (the outbox's retry-base-ms and retry-max-ms)
     */
    public PartnerApiCheck(boolean enabled, RetrySchedule backoff, Clock clock) {
        this.enabled = enabled;
        this.backoff = backoff;
        this.clock = clock;
        this.since = clock.instant();
    }

    /**
     * Route step: whether a check is due now: not passed yet, its backoff has run out, and the context has
     * finished starting (an embedded sandbox, or a host's own route in front of Honeybee, answers only then).
     */
    public synchronized boolean isDue(Exchange exchange) {
        return enabled && state != State.READY && !clock.instant().isBefore(nextCheckAt) && exchange.getContext().isStarted();
    }

    /** The check's state now. */
    public synchronized State state() {
        return state;
    }

    /** Whether the outbox may post: the check passed, or it is switched off. */
    public synchronized boolean isReady() {
        return !enabled || state == State.READY;
    }

    /** Route step after the check passed: the token and the shipping method are verified. */
    public synchronized void passed() {
        boolean wasFailing = state == State.UNAVAILABLE || state == State.MISCONFIGURED;
        attempts++;
        move(State.READY, "token and shipping method verified");
        LOG.info("Partner API check passed{}; the outbox places fills", wasFailing ? " after " + attempts + " attempts" : "");
        lastLogged = null;
    }

    /** Route step after the check failed (the exception caught): classifies it, logs a change once, waits. */
    public synchronized void failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        attempts++;
        boolean definite = isMisconfiguration(failure);
        move(definite ? State.MISCONFIGURED : State.UNAVAILABLE, describe(failure));
        Duration wait = backoff.after(attempts, null);
        nextCheckAt = clock.instant().plus(wait);
        String logged = state + message;
        if (!logged.equals(lastLogged)) {
            lastLogged = logged;
            if (definite) {
                LOG.error("Partner API misconfigured: {}. Webhooks are still accepted; fills wait in the outbox until this is fixed"
                        + " (checked again with backoff; see /observe/health/ready)", message);
            } else {
                LOG.warn("Partner API unavailable: {}. Webhooks are still accepted; fills wait in the outbox; checking again"
                        + " with backoff", message);
            }
        } else {
            LOG.debug("Partner API check attempt {} failed again; next in {} ms", attempts, wait.toMillis());
        }
    }

    /** The state as readiness details and the ops API show it. */
    public synchronized Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", enabled ? state.name().toLowerCase(Locale.ROOT) : "not checked (honeybee.startup.verify-partner-api=false)");
        details.put("message", message);
        details.put("since", since.toString());
        details.put("attempts", attempts);
        if (enabled && state != State.READY && nextCheckAt.isAfter(Instant.MIN)) {
            details.put("next_check_at", nextCheckAt.toString());
        }
        return details;
    }

    private void move(State next, String text) {
        if (next != state) {
            since = clock.instant();
        }
        state = next;
        message = text;
    }

    private static boolean isMisconfiguration(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OAuthTokens.TokenException token) {
                return token.credentialsRefused();
            }
            if (t instanceof ShippingMethods.ShippingMethodException) {
                return true;
            }
            if (t instanceof PartnerApiException api) {
                // a 4xx on GET /shipping_methods with a fresh token: wrong API URL or credentials, not an outage
                return api.kind() == PartnerApiException.Kind.REJECTED;
            }
        }
        return false;
    }

    private static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return "Partner API or OAuth token endpoint unreachable (" + t.getClass().getSimpleName()
                        + "); check honeybee.api.url and honeybee.oauth.token-url";
            }
        }
        return FailureReason.describe(failure);
    }
}
