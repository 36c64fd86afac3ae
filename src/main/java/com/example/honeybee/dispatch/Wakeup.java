package com.example.honeybee.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A wakeup signal for one consumer (the inbox dispatcher, the order outbox): the code that makes work
 * visible (a committed inbox insert, a fill that became due) calls {@link #wake()}, and the consumer's
 * threads, idle in {@link #await(long, Duration)}, poll at once instead of at their safety-net interval.
 * Work due later (an event's or a fill's {@code next_attempt_at}) is announced with {@link #wakeAt(Instant)}.
 * <p>
 * A wake is never lost: a thread reads {@link #generation()} before it polls and waits only while the
 * generation is unchanged, so a wake that came during its poll makes it poll again.
 * Listeners (the PostgreSQL NOTIFY bridge) hear each local {@link #wake()}, so other instances wake too.
 */
public class Wakeup {

    private final String name;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
    private long generation;
    /** The earliest time some known work falls due, or null. */
    private Instant dueAt;

    /** @param name the consumer woken, e.g. {@code inbox} or {@code outbox} (the NOTIFY channel's suffix on PostgreSQL) */
    public Wakeup(String name, Clock clock) {
        this.name = name;
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    /** Work is visible now: wakes every waiting thread and tells the listeners (other instances). */
    public void wake() {
        wakeHere();
        listeners.forEach(Runnable::run);
    }

    /** Work is visible now, announced by another instance: wakes this instance's threads only. */
    public void wakeHere() {
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Work falls due at {@code at}: the waiting threads poll then (or earlier, if woken). */
    public void wakeAt(Instant at) {
        lock.lock();
        try {
            if (dueAt == null || at.isBefore(dueAt)) {
                dueAt = at;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Work falls due in {@code millis} ms (a route's way to poll again soon without spinning). */
    public void wakeIn(long millis) {
        wakeAt(clock.instant().plusMillis(millis));
    }

    /** Hears every local {@link #wake()} (called on the waking thread: must not block). */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    /** The count of wakes so far: read before a poll, passed to {@link #await(long, Duration)} after it. */
    public long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a wake after {@code seenGeneration}, until known work falls due, or for {@code safetyNet} at
     * most, whichever comes first.
     *
     * @return true when woken or due, false when the safety net ran out
     * @throws InterruptedException when the consumer is stopped
     */
    public boolean await(long seenGeneration, Duration safetyNet) throws InterruptedException {
        lock.lock();
        try {
            Instant deadline = clock.instant().plus(safetyNet);
            while (generation == seenGeneration) {
                Instant now = clock.instant();
                if (dueAt != null && !dueAt.isAfter(now)) {
                    dueAt = null;
                    return true;
                }
                Instant until = dueAt != null && dueAt.isBefore(deadline) ? dueAt : deadline;
                long nanos = Duration.between(now, until).toNanos();
                if (nanos <= 0) {
                    return false;
                }
                changed.await(nanos, TimeUnit.NANOSECONDS);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
