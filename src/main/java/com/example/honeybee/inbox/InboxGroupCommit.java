package com.example.honeybee.inbox;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Collectors;

import com.example.honeybee.db.Sql;
import com.example.honeybee.webhook.WebhookEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of inbox inserts: concurrent intake requests hand their event to one writer thread,
 * which inserts whatever is waiting in one transaction and answers each request after the commit.
 * Every acknowledgement still follows a durable write; there are just fewer of them under load. Only
 * new event ids take this path; a repeat (in the database or in the batch) and any failure go through
 * the single-insert path, which tells duplicates from conflicts exactly as before.
 */
public class InboxGroupCommit implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InboxGroupCommit.class);

    private record Pending(WebhookEvent event, byte[] body, String digest, CompletableFuture<InboxOutcome> outcome) {
    }

    private final Sql sql;
    private final Clock clock;
    private final InboxRepository inbox;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean running = true;

    public InboxGroupCommit(Sql sql, Clock clock, InboxRepository inbox, int maxBatch) {
        this.sql = sql;
        this.clock = clock;
        this.inbox = inbox;
        this.maxBatch = maxBatch;
        this.writer = new Thread(this::run, "honeybee-inbox-group-commit");
        writer.setDaemon(true);
        writer.start();
    }

    /** How long a request waits for the writer before it answers 503 (Honeybee then delivers it again). */
    private static final long WAIT_SECONDS = 30;

    /** Stores the event and answers once it is committed (or known to be a repeat). */
    public InboxOutcome store(WebhookEvent event, byte[] body) throws Exception {
        if (!running) {
            return inbox.storeOne(event, body);
        }
        CompletableFuture<InboxOutcome> outcome = new CompletableFuture<>();
        queue.add(new Pending(event, body, InboxRepository.sha256(body), outcome));
        try {
            return outcome.get(WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (java.util.concurrent.TimeoutException e) {
            // not acknowledged: a later redelivery is deduplicated if this insert commits after all
            throw new IllegalStateException("the inbox writer did not answer within " + WAIT_SECONDS + " s");
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } catch (RuntimeException e) {
                LOG.warn("inbox group commit failed ({}); storing those events one by one", e.getClass().getSimpleName());
                batch.forEach(this::storeAlone);
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        Set<String> seen = new HashSet<>();
        List<Pending> fresh = new ArrayList<>();
        List<Pending> repeats = new ArrayList<>();
        for (Pending p : batch) {
            (seen.add(p.event().eventId()) ? fresh : repeats).add(p);
        }
        Instant now = clock.instant();
        List<Pending> inserted = sql.inTransaction(connection -> {
            String marks = fresh.stream().map(p -> "?").collect(Collectors.joining(", "));
            Set<String> existing = new HashSet<>(Sql.query(connection, "SELECT event_id FROM inbox WHERE event_id IN (" + marks + ")",
                    row -> row.getString(1), fresh.stream().map(p -> p.event().eventId()).toArray()));
            List<Pending> written = new ArrayList<>();
            for (Pending p : fresh) {
                (existing.contains(p.event().eventId()) ? repeats : written).add(p);
            }
            Sql.batch(connection, "INSERT INTO inbox (event_id, event_type, patient_id, body, body_sha256, status, received_at)"
                    + " VALUES (?, ?, ?, ?, ?, 'PENDING', ?)", written.stream()
                    .map(p -> new Object[] {p.event().eventId(), p.event().eventType(), p.event().patientId(), p.body(), p.digest(), now})
                    .toList());
            return written;
        });
        inserted.forEach(p -> p.outcome().complete(InboxOutcome.ACCEPTED));
        repeats.forEach(this::storeAlone);
    }

    private void storeAlone(Pending p) {
        if (p.outcome().isDone()) {
            return;
        }
        try {
            p.outcome().complete(inbox.storeOne(p.event(), p.body()));
        } catch (RuntimeException e) {
            p.outcome().completeExceptionally(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        writer.join(5_000);
    }
}
