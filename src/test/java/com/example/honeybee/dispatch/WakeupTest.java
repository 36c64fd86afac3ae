package com.example.honeybee.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The dispatcher's wakeup: no wake is lost, work due later wakes it then, the safety net bounds every wait. */
class WakeupTest {

    private final Wakeup wakeup = new Wakeup("inbox", Clock.systemUTC());

    @Test
    void aWakeDuringThePollIsNotLost() throws Exception {
        long seen = wakeup.generation();
        wakeup.wake();   // came while the thread was polling, before it waits
        long start = System.nanoTime();
        assertThat(wakeup.await(seen, Duration.ofSeconds(30))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void aWaitingThreadWakesOnAWakeFromAnotherThread() throws Exception {
        long seen = wakeup.generation();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return wakeup.await(seen, Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50);
        wakeup.wake();
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void workDueLaterWakesAtItsTimeAndTheSafetyNetBoundsTheWait() throws Exception {
        long seen = wakeup.generation();
        wakeup.wakeIn(100);
        long start = System.nanoTime();
        assertThat(wakeup.await(seen, Duration.ofSeconds(30))).isTrue();
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(waitedMs).isBetween(90L, 5_000L);

        start = System.nanoTime();
        assertThat(wakeup.await(wakeup.generation(), Duration.ofMillis(100))).isFalse();
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(90L);
    }

    @Test
    void listenersHearLocalWakesOnlyNotWakesFromOtherInstances() {
        AtomicInteger heard = new AtomicInteger();
        wakeup.addListener(heard::incrementAndGet);
        wakeup.wake();
        wakeup.wakeHere();
        assertThat(heard).hasValue(1);
        assertThat(wakeup.generation()).isEqualTo(2);
    }

    @Test
    void theClaimStartsAtOneAndDoublesWhileTheBacklogFillsIt() {
        assertThat(InboxDispatch.next(1, 1, 50)).isEqualTo(2);
        assertThat(InboxDispatch.next(32, 32, 50)).isEqualTo(50);
        assertThat(InboxDispatch.next(50, 50, 50)).isEqualTo(50);
        assertThat(InboxDispatch.next(16, 3, 50)).isEqualTo(3);
        assertThat(InboxDispatch.next(4, 0, 50)).isEqualTo(1);
    }

    @Test
    void aFailedPollWaitsLongerEachTimeUpToTheMax() {
        WakeupPollScheduler scheduler = new WakeupPollScheduler("test", wakeup, 1, Duration.ZERO, Duration.ofSeconds(10),
                Duration.ofMillis(1000), Duration.ofMillis(60_000), new RepeatedFailureLog("test", Duration.ofSeconds(60), Clock.systemUTC()), null);
        assertThat(scheduler.backoff(1)).isEqualTo(Duration.ofMillis(1000));
        assertThat(scheduler.backoff(2)).isEqualTo(Duration.ofMillis(2000));
        assertThat(scheduler.backoff(6)).isEqualTo(Duration.ofMillis(32_000));
        assertThat(scheduler.backoff(7)).isEqualTo(Duration.ofMillis(60_000));
        assertThat(scheduler.backoff(1000)).isEqualTo(Duration.ofMillis(60_000));
    }
}
