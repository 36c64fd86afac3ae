package com.example.honeybee.dispatch;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import com.example.honeybee.inbox.InboxEntry;
import com.example.honeybee.support.HoneybeeHeaders;
import com.example.honeybee.webhook.WebhookDeferredException;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission control for intake: when processing falls behind, a webhook is answered 503 with
 * {@code Retry-After} (RFC 9110 sections 15.6.4 and 10.2.3) before anything is stored, so the sender
 * delivers it again later, and processing, not intake, sets the pace. Nothing is acknowledged that then
 * waits without bound: the inbox's backlog stays about {@code maxLagMillis} deep, and drains in about that
 * long once the load ends. (Honeybee does not publish its redelivery policy; that it redelivers a non-2xx
 * is the same assumption the 503 for a database fault makes. CONTRACT.md.)
 * <p>
 * The measure is the dispatcher's lag, read from its own claims, so it costs intake no query: each claim
 * takes the oldest claimable events first, and the lag is how long the oldest one it got had been waiting
 * (since its {@code received_at}, or since its backoff ended for a retried event), plus the time since that
 * claim while its batch is still in work; an empty claim means no lag. With several dispatcher threads the largest lag counts. Events held back on purpose (a
 * backing-off event and its patient's later ones) are not claimable, so they never count. While the
 * dispatcher does not run (stopped, or {@code honeybee.inbox.dispatch-enabled=false}) every event is
 * admitted: storing without processing is then what the operator asked for.
 */
public class InboxAdmission {

    private static final Logger LOG = LoggerFactory.getLogger(InboxAdmission.class);

    private final Clock clock;
    private final long maxLagMillis;
    private final BooleanSupplier dispatching;
    private final Predicate<String> stored;
    private final long logIntervalMillis;
    /**
     * By dispatcher thread: {lag in ms at the claim, the claim's time in epoch ms}; lag -1 after an empty claim. A thread
     * that has ended (the route was stopped mid-batch, its scheduler replaced) no longer counts.
     */
    private final Map<Thread, long[]> lastClaims = new ConcurrentHashMap<>();
    private final AtomicLong refusedSinceLine = new AtomicLong();
    private final AtomicLong lastLine = new AtomicLong(Long.MIN_VALUE);

    /**
     * @param maxLagMillis      {@code honeybee.inbox.max-lag-ms}: the lag above which webhooks are refused; 0 never refuses
     * @param dispatching       whether the dispatcher runs now
     * @param stored            whether an event_id is already in the inbox: a redelivery of a stored event is not
     *                          refused (intake answers it "duplicate"), asked only when refusing
     * @param logIntervalMillis at most one log line per interval while refusing
     */
    public InboxAdmission(Clock clock, long maxLagMillis, BooleanSupplier dispatching, Predicate<String> stored, long logIntervalMillis) {
        if (maxLagMillis < 0) {
            throw new IllegalArgumentException("honeybee.inbox.max-lag-ms must be 0 (never refuse) or more; was " + maxLagMillis);
        }
        this.clock = clock;
        this.maxLagMillis = maxLagMillis;
        this.dispatching = dispatching;
        this.stored = stored;
        this.logIntervalMillis = logIntervalMillis;
    }

    /** Called with each claim of the calling dispatcher thread (possibly empty). */
    public void claimed(List<InboxEntry> claimed) {
        long now = clock.millis();
        long oldest = Long.MAX_VALUE;
        for (InboxEntry entry : claimed) {
            if (entry.dueSince() != null) {
                oldest = Math.min(oldest, entry.dueSince().toEpochMilli());
            }
        }
        lastClaims.put(Thread.currentThread(), new long[] {oldest == Long.MAX_VALUE ? -1 : Math.max(0, now - oldest), now});
    }

    /** The dispatcher's lag in ms now: 0 when it keeps up, is idle or does not run. */
    public long lagMillis() {
        if (!dispatching.getAsBoolean()) {
            return 0;
        }
        long now = clock.millis();
        long lag = 0;
        for (Map.Entry<Thread, long[]> entry : lastClaims.entrySet()) {
            long[] claim = entry.getValue();
            if (!entry.getKey().isAlive()) {
                lastClaims.remove(entry.getKey(), claim);
            } else if (claim[0] >= 0) {
                lag = Math.max(lag, claim[0] + Math.max(0, now - claim[1]));
            }
        }
        return lag;
    }

    /**
     * Intake step before the inbox insert: returns when the event may be stored.
     *
     * @throws WebhookDeferredException 503, with Retry-After in seconds, when the lag is above the bound
     */
    public void admit(@Header(HoneybeeHeaders.EVENT_ID) String eventId) {
        if (maxLagMillis == 0) {
            return;
        }
        long lag = lagMillis();
        if (lag <= maxLagMillis) {
            logEndOfRefusals();
            return;
        }
        if (eventId != null && stored.test(eventId)) {
            // already acknowledged once: storing it again costs nothing, and "duplicate" stops the redeliveries
            return;
        }
        // half the bound: by then the backlog is about half drained, and refused senders do not all come back to an
        // empty inbox at once (a whole bound's wait left the dispatcher idle between waves of retries)
        long retryAfter = Math.max(1, maxLagMillis / 2000);
        logRefusal(lag);
        throw new WebhookDeferredException("backlog", "processing is " + lag + " ms behind (more than honeybee.inbox.max-lag-ms="
                + maxLagMillis + "): the event was not stored; deliver it again after " + retryAfter + " s", retryAfter);
    }

    /** After refusals, the first admitted webhook logs how many the last lines did not count (one line per episode). */
    private void logEndOfRefusals() {
        long refused = refusedSinceLine.get();
        if (refused > 0 && refusedSinceLine.compareAndSet(refused, 0)) {
            LOG.info("webhooks admitted again: processing is within honeybee.inbox.max-lag-ms={}; {} refused since the last line",
                    maxLagMillis, refused);
        }
    }

    /** One line per interval while refusing, never one per request: at saturation that would be thousands a second. */
    private void logRefusal(long lag) {
        long refused = refusedSinceLine.incrementAndGet();
        long now = clock.millis();
        long last = lastLine.get();
        if ((last == Long.MIN_VALUE || now - last >= logIntervalMillis) && lastLine.compareAndSet(last, now)) {
            refusedSinceLine.addAndGet(-refused);
            LOG.warn("webhooks refused with 503 while processing is {} ms behind (honeybee.inbox.max-lag-ms={}): {} since the last line"
                    + " (at most one line per {} s)", lag, maxLagMillis, refused, logIntervalMillis / 1000);
        }
    }
}
