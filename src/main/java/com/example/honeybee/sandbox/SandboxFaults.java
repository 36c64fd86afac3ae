package com.example.honeybee.sandbox;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;

/**
 * The sandbox's fault knobs: faults scripted for the next POST /orders calls (tests), random rates
 * (demo, soak runs) from a seeded generator so a run can be repeated, latency, and webhook delivery
 * faults (duplicates, out-of-order).
 */
public class SandboxFaults {

    private final Deque<SandboxFault> scripted = new ArrayDeque<>();
    private final Random random;
    private volatile double errorRate;
    private volatile double rateLimitRate;
    private volatile double timeoutRate;
    private volatile double conflictRate;
    private volatile long latencyMs;
    private volatile long timeoutDelayMs;
    private volatile int retryAfterSeconds = 1;
    private volatile double duplicateRate;
    private volatile double outOfOrderRate;
    private volatile double loseWebhookRate;
    private volatile long rateLimitedUntilMillis;

    public SandboxFaults(long seed) {
        this.random = new Random(seed);
    }

    /** The next POST /orders calls answer with these faults, in order. */
    public synchronized SandboxFaults script(SandboxFault... faults) {
        for (SandboxFault fault : faults) {
            scripted.addLast(fault);
        }
        return this;
    }

    synchronized SandboxFault nextOrderFault() {
        if (!scripted.isEmpty()) {
            return scripted.pollFirst();
        }
        if (System.currentTimeMillis() < rateLimitedUntilMillis) {
            return SandboxFault.TOO_MANY_REQUESTS;
        }
        double roll = random.nextDouble();
        if (roll < errorRate) {
            return random.nextBoolean() ? SandboxFault.SERVER_ERROR : SandboxFault.UNAVAILABLE;
        }
        if (roll < errorRate + rateLimitRate) {
            return SandboxFault.TOO_MANY_REQUESTS;
        }
        if (roll < errorRate + rateLimitRate + timeoutRate) {
            return SandboxFault.TIMEOUT_AFTER_CREATE;
        }
        if (roll < errorRate + rateLimitRate + timeoutRate + conflictRate) {
            return random.nextBoolean() ? SandboxFault.CONFLICT : SandboxFault.CONFLICT_IN_FLIGHT;
        }
        return null;
    }

    /** A rate-limit burst: every POST /orders from now on, for this long, answers 429 with Retry-After. */
    public SandboxFaults rateLimitFor(java.time.Duration burst) {
        this.rateLimitedUntilMillis = System.currentTimeMillis() + burst.toMillis();
        return this;
    }

    synchronized boolean roll(double rate) {
        return rate > 0 && random.nextDouble() < rate;
    }

    public SandboxFaults rates(double errorRate, double rateLimitRate, double timeoutRate) {
        this.errorRate = errorRate;
        this.rateLimitRate = rateLimitRate;
        this.timeoutRate = timeoutRate;
        return this;
    }

    /** Share of POST /orders answered 409; half of them while the identical order is in flight (created). */
    public SandboxFaults conflictRate(double conflictRate) {
        this.conflictRate = conflictRate;
        return this;
    }

    public SandboxFaults latencyMs(long latencyMs) {
        this.latencyMs = latencyMs;
        return this;
    }

    public SandboxFaults timeoutDelayMs(long timeoutDelayMs) {
        this.timeoutDelayMs = timeoutDelayMs;
        return this;
    }

    public SandboxFaults retryAfterSeconds(int seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    public SandboxFaults webhookFaults(double duplicateRate, double outOfOrderRate) {
        this.duplicateRate = duplicateRate;
        this.outOfOrderRate = outOfOrderRate;
        return this;
    }

    /**
     * The share (0..1) of webhooks the sandbox loses: never delivered, as a webhook that never arrives. 1 loses
     * every webhook from now on, 0 none; the reconciliation schedule is what catches an order up.
     */
    public SandboxFaults loseWebhooks(double rate) {
        this.loseWebhookRate = rate;
        return this;
    }

    double loseWebhookRate() {
        return loseWebhookRate;
    }

    long latencyMs() {
        return latencyMs;
    }

    long timeoutDelayMs() {
        return timeoutDelayMs;
    }

    int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    double duplicateRate() {
        return duplicateRate;
    }

    double outOfOrderRate() {
        return outOfOrderRate;
    }
}
