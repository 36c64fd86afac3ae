package com.example.honeybee.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import com.example.honeybee.inbox.InboxEntry;
import com.example.honeybee.webhook.WebhookDeferredException;
import org.junit.jupiter.api.Test;

/** The dispatcher's lag as admission control reads it, on a clock the test moves; figures worked out by hand. */
class InboxAdmissionTest {

    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

    private Instant now = T0;
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final AtomicBoolean dispatching = new AtomicBoolean(true);

    private static InboxEntry receivedAt(Instant at) {
        return new InboxEntry("e-" + at.toEpochMilli(), "RX_UPDATED", "p", new byte[0], 1, at, at);
    }

    @Test
    void theLagIsTheOldestClaimedEventsAgePlusTheTimeItsBatchHasBeenInWork() {
        InboxAdmission admission = new InboxAdmission(clock, 2000, dispatching::get, id -> false, 60_000);
        assertThat(admission.lagMillis()).as("before any claim").isZero();

        // claimed at 12:00:10.000 the events received at 12:00:08.500 and 12:00:09.000: 1,500 ms behind
        now = T0.plusSeconds(10);
        admission.claimed(List.of(receivedAt(T0.plusMillis(8_500)), receivedAt(T0.plusSeconds(9))));
        assertThat(admission.lagMillis()).isEqualTo(1_500);
        admission.admit("e");

        // 600 ms later the batch is still in work: 2,100 ms, over the 2,000 ms bound
        now = now.plusMillis(600);
        assertThat(admission.lagMillis()).isEqualTo(2_100);
        assertThatThrownBy(() -> admission.admit("e")).isInstanceOfSatisfying(WebhookDeferredException.class, deferred -> {
            assertThat(deferred.status()).isEqualTo(503);
            assertThat(deferred.reason()).isEqualTo("backlog");
            assertThat(deferred.retryAfterSeconds()).isEqualTo(1);
            assertThat(deferred.getMessage()).isEqualTo("processing is 2100 ms behind (more than honeybee.inbox.max-lag-ms=2000):"
                    + " the event was not stored; deliver it again after 1 s");
        });

        // an empty claim: caught up
        admission.claimed(List.of());
        assertThat(admission.lagMillis()).isZero();
        admission.admit("e");
    }

    @Test
    void withSeveralDispatcherThreadsTheLargestLagCounts() throws Exception {
        InboxAdmission admission = new InboxAdmission(clock, 2000, dispatching::get, id -> false, 60_000);
        now = T0.plusSeconds(10);
        admission.claimed(List.of(receivedAt(T0.plusSeconds(7))));   // this thread: 3,000 ms
        Thread other = new Thread(() -> admission.claimed(List.of()));   // another thread, idle
        other.start();
        other.join();
        assertThat(admission.lagMillis()).isEqualTo(3_000);
    }

    @Test
    void aRetriedEventCountsFromTheEndOfItsBackoffNotFromItsReceipt() {
        InboxAdmission admission = new InboxAdmission(clock, 2000, dispatching::get, id -> false, 60_000);
        now = T0.plusSeconds(60);
        // received a minute ago, backed off after a failed attempt until 300 ms ago: 300 ms behind, not 60 s
        admission.claimed(List.of(new InboxEntry("retried", "RX_UPDATED", "p", new byte[0], 2, T0, now.minusMillis(300))));
        assertThat(admission.lagMillis()).isEqualTo(300);
        admission.admit("e");
    }

    @Test
    void aRedeliveryOfAStoredEventIsNotRefused() {
        InboxAdmission admission = new InboxAdmission(clock, 2000, dispatching::get, "stored-event"::equals, 60_000);
        now = T0.plusSeconds(10);
        admission.claimed(List.of(receivedAt(T0)));
        admission.admit("stored-event");
        assertThatThrownBy(() -> admission.admit("new-event")).isInstanceOf(WebhookDeferredException.class);
    }

    @Test
    void aDispatcherThreadThatEndedMidBatchNoLongerCounts() throws Exception {
        InboxAdmission admission = new InboxAdmission(clock, 2000, dispatching::get, id -> false, 60_000);
        now = T0.plusSeconds(10);
        // a thread claims an event 5 s old and ends without another claim (its route stopped mid-batch)
        Thread ended = new Thread(() -> admission.claimed(List.of(receivedAt(T0.plusSeconds(5)))));
        ended.start();
        ended.join();
        assertThat(admission.lagMillis()).isZero();
        admission.admit("e");
    }

    @Test
    void aDispatcherThatDoesNotRunOrABoundOfZeroRefusesNothing() {
        InboxAdmission admission = new InboxAdmission(clock, 2000, dispatching::get, id -> false, 60_000);
        now = T0.plusSeconds(60);
        admission.claimed(List.of(receivedAt(T0)));
        dispatching.set(false);
        assertThat(admission.lagMillis()).isZero();
        admission.admit("e");

        dispatching.set(true);
        InboxAdmission never = new InboxAdmission(clock, 0, dispatching::get, id -> false, 60_000);
        never.claimed(List.of(receivedAt(T0)));
        assertThat(never.lagMillis()).isEqualTo(60_000);
        never.admit("e");
    }

    @Test
    void retryAfterIsHalfTheBoundInWholeSecondsAndANegativeBoundIsRefused() {
        InboxAdmission admission = new InboxAdmission(clock, 10_000, dispatching::get, id -> false, 60_000);
        now = T0.plus(Duration.ofSeconds(30));
        admission.claimed(List.of(receivedAt(T0)));
        assertThatThrownBy(() -> admission.admit("e")).isInstanceOfSatisfying(WebhookDeferredException.class,
                deferred -> assertThat(deferred.retryAfterSeconds()).isEqualTo(5));
        assertThatThrownBy(() -> new InboxAdmission(clock, -1, dispatching::get, id -> false, 60_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("honeybee.inbox.max-lag-ms must be 0 (never refuse) or more; was -1");
    }
}
