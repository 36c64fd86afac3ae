package com.example.honeybee.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The scheduler of a polling route that is woken instead of ticking: a Camel
 * {@link ScheduledPollConsumerScheduler} (the {@code scheduler=#bean} option of a {@code scheduler:} endpoint)
 * and that endpoint's {@link ExceptionHandler} ({@code exceptionHandler=#bean}).
 * <p>
 * Each of its {@code threads} threads runs the consumer's poll (which, greedy, polls again while it finds
 * work), then waits on its {@link Wakeup} for a wake, for known work to fall due, or for the safety-net
 * interval. When a poll fails, the route's exchange fails and this handler sees it: it stops the greedy
 * loop, logs through a {@link RepeatedFailureLog} (one line per interval, no stack trace), and the thread
 * backs off exponentially from {@code backoffBase} to {@code backoffMax}, ignoring wakes, until a poll succeeds.
 * Camel's own {@code backoffErrorThreshold} does not apply here: the scheduler component hands a failed
 * exchange to the exception handler and never throws from its poll.
 */
public class WakeupPollScheduler extends ServiceSupport implements ScheduledPollConsumerScheduler, ExceptionHandler {

    /** Camel's exchange property: false tells a greedy scheduler consumer that the poll found nothing. */
    static final String POLLED_MESSAGES = "CamelSchedulerPolledMessages";

    private final String name;
    private final Wakeup wakeup;
    private final int threads;
    private final Duration initialDelay;
    private final Duration safetyNet;
    private final Duration backoffBase;
    private final Duration backoffMax;
    private final RepeatedFailureLog failureLog;
    private final Runnable onFailure;
    private final ThreadLocal<Boolean> failedThisPoll = ThreadLocal.withInitial(() -> false);
    private final List<Thread> workers = new ArrayList<>();
    private CamelContext camelContext;
    private volatile Runnable task;
    private volatile boolean started;
    private volatile java.util.concurrent.CountDownLatch stopping = new java.util.concurrent.CountDownLatch(1);

    /**
     * @param name         thread name prefix (the route id)
     * @param threads      threads polling concurrently (at least 1)
     * @param safetyNet    longest wait without a wake: covers other instances' work without NOTIFY and expired leases
     * @param backoffBase  the first wait after a failed poll, doubled per further failure up to {@code backoffMax}
     * @param failureLog   where repeated failures are logged once per interval
     * @param onFailure    cleanup on the failing thread (e.g. abandoning its unit of work); may be null
     */
    public WakeupPollScheduler(String name, Wakeup wakeup, int threads, Duration initialDelay, Duration safetyNet,
                               Duration backoffBase, Duration backoffMax, RepeatedFailureLog failureLog, Runnable onFailure) {
        if (threads < 1) {
            throw new IllegalArgumentException(name + ": threads must be at least 1; was " + threads);
        }
        this.name = name;
        this.wakeup = wakeup;
        this.threads = threads;
        this.initialDelay = initialDelay;
        this.safetyNet = safetyNet;
        this.backoffBase = backoffBase;
        this.backoffMax = backoffMax;
        this.failureLog = failureLog;
        this.onFailure = onFailure;
    }

    @Override
    public void onInit(Consumer consumer) {
        // nothing to keep: the task given to scheduleTask is the consumer's poll
    }

    @Override
    public void scheduleTask(Runnable task) {
        this.task = task;
    }

    @Override
    public void unscheduleTask() {
        this.task = null;
    }

    @Override
    public synchronized void startScheduler() {
        if (started) {
            return;
        }
        started = true;
        stopping = new java.util.concurrent.CountDownLatch(1);
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(this::work, name + "-" + (i + 1));
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    @Override
    public boolean isSchedulerStarted() {
        return started;
    }

    /** The number of polling threads. */
    public int threads() {
        return threads;
    }

    private void work() {
        java.util.concurrent.CountDownLatch stop = stopping;
        try {
            if (stop.await(initialDelay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return;
            }
            while (started) {
                long seen = wakeup.generation();
                Runnable poll = task;
                if (poll == null) {
                    return;
                }
                failedThisPoll.set(false);
                poll.run();
                if (failedThisPoll.get()) {
                    stop.await(backoff(failureLog.failures()).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                    continue;
                }
                failureLog.succeeded();
                wakeup.await(seen, safetyNet);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The wait after the n-th consecutive failed poll: base × 2^(n-1), at most max. */
    Duration backoff(long failures) {
        long exponent = Math.min(Math.max(failures - 1, 0), 20);
        return Duration.ofMillis(Math.min(backoffMax.toMillis(), backoffBase.toMillis() * (1L << exponent)));
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        failedThisPoll.set(true);
        if (exchange != null) {
            // a greedy consumer would otherwise poll again at once: the runaway loop of a missing table
            exchange.setProperty(POLLED_MESSAGES, false);
        }
        if (onFailure != null) {
            onFailure.run();
        }
        failureLog.failed(exception);
    }

    @Override
    protected synchronized void doStop() throws Exception {
        // no interrupt: a thread inside a JDBC call finishes it (H2 closes its file on an interrupted write)
        started = false;
        stopping.countDown();
        wakeup.wakeHere();
        for (Thread worker : workers) {
            worker.join(5_000);
        }
        workers.clear();
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
