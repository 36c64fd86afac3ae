package com.example.honeybee.dispatch;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

/**
 * Wakes the consumers of the other instances sharing a PostgreSQL database: each local {@link Wakeup#wake()}
 * is sent as {@code NOTIFY honeybee_<name>} (coalesced: at most one per channel per listen cycle), and a
 * {@code NOTIFY} from another instance wakes this instance's consumer of that channel. On any other database,
 * or with honeybee.db.notify=false, it does nothing and the safety-net poll covers other instances.
 * <p>
 * One dedicated connection (outside the pool's accounting for work: it is held for the bundle's life)
 * LISTENs on every channel; pgjdbc's {@code PGConnection.getNotifications(timeout)} waits for notifications
 * without a query. A lost connection is opened again with backoff, its failure logged once per interval.
 */
public class DatabaseNotify implements AutoCloseable {

    /** How long one listen cycle waits for notifications: the latest a coalesced NOTIFY is sent. */
    static final Duration CYCLE = Duration.ofMillis(50);

    private final Map<String, Wakeup> wakeups = new ConcurrentHashMap<>();
    private final Map<String, AtomicBoolean> toSend = new ConcurrentHashMap<>();
    private final AutoCloseable listener;

    private DatabaseNotify(AutoCloseable listener) {
        this.listener = listener;
    }

    /** A bridge that does nothing (H2, or notify off). */
    public static DatabaseNotify off() {
        return new DatabaseNotify(() -> { });
    }

    /**
     * Starts the bridge on PostgreSQL.
     *
     * @param instanceId sent as each NOTIFY's payload, so an instance ignores its own
     */
    public static DatabaseNotify postgres(DataSource dataSource, String instanceId, RepeatedFailureLog failureLog) {
        DatabaseNotify[] self = new DatabaseNotify[1];
        // PgNotifyListener is the only class that names pgjdbc's types: loaded on PostgreSQL only
        PgNotifyListener listener = new PgNotifyListener(dataSource, instanceId, failureLog,
                channel -> self[0].heard(channel), () -> self[0].toSend);
        self[0] = new DatabaseNotify(listener);
        listener.start();
        return self[0];
    }

    /** Joins a consumer's wakeup to its channel {@code honeybee_<name>}: its wakes are sent, its channel's notifications wake it. */
    public void attach(Wakeup wakeup) {
        String channel = "honeybee_" + wakeup.name();
        wakeups.put(channel, wakeup);
        AtomicBoolean flag = toSend.computeIfAbsent(channel, c -> new AtomicBoolean());
        wakeup.addListener(() -> flag.set(true));
    }

    private void heard(String channel) {
        Wakeup wakeup = wakeups.get(channel);
        if (wakeup != null) {
            wakeup.wakeHere();
        }
    }

    @Override
    public void close() throws Exception {
        listener.close();
    }
}
