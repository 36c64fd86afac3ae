package com.example.honeybee.dispatch;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The PostgreSQL side of {@link DatabaseNotify}: one thread on one dedicated connection that LISTENs on the
 * bundle's channels, sends the coalesced NOTIFYs of local wakes, and hands notifications of other instances on.
 * The only class of the bundle that names pgjdbc's types.
 */
final class PgNotifyListener implements AutoCloseable {

    private static final Duration RECONNECT_MIN = Duration.ofSeconds(1);
    private static final Duration RECONNECT_MAX = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final String instanceId;
    private final RepeatedFailureLog failureLog;
    private final Consumer<String> heard;
    private final Supplier<Map<String, AtomicBoolean>> channels;
    private final Thread thread;
    private volatile boolean running = true;

    PgNotifyListener(DataSource dataSource, String instanceId, RepeatedFailureLog failureLog, Consumer<String> heard,
                     Supplier<Map<String, AtomicBoolean>> channels) {
        this.dataSource = dataSource;
        this.instanceId = instanceId;
        this.failureLog = failureLog;
        this.heard = heard;
        this.channels = channels;
        this.thread = new Thread(this::run, "honeybee-db-notify");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        long failures = 0;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                listen(connection);
                failures = 0;
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                failureLog.failed(e);
                failures++;
                long wait = Math.min(RECONNECT_MAX.toMillis(), RECONNECT_MIN.toMillis() * (1L << Math.min(failures - 1, 10)));
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void listen(Connection connection) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        java.util.Set<String> listening = new java.util.HashSet<>();
        while (running) {
            try (Statement statement = connection.createStatement()) {
                for (Map.Entry<String, AtomicBoolean> channel : channels.get().entrySet()) {
                    // channel names are the bundle's own constants (honeybee_inbox, honeybee_outbox), never input
                    if (listening.add(channel.getKey())) {
                        statement.execute("LISTEN " + channel.getKey());
                    }
                    if (channel.getValue().getAndSet(false)) {
                        statement.execute("NOTIFY " + channel.getKey() + ", '" + instanceId.replace("'", "") + "'");
                    }
                }
            }
            failureLog.succeeded();
            PGNotification[] notifications = pg.getNotifications((int) DatabaseNotify.CYCLE.toMillis());
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    if (!instanceId.replace("'", "").equals(notification.getParameter())) {
                        heard.accept(notification.getName());
                    }
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(2_000);
    }
}
