package com.example.honeybee.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.example.honeybee.db.HoneybeeDatabase;
import com.example.honeybee.db.Sql;
import com.example.honeybee.patients.JdbcPartnerPatientDirectory;
import com.example.honeybee.patients.PartnerPatient;
import com.example.honeybee.sandbox.SandboxHoneybee;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bundle as a process under load, killed with SIGKILL at random moments and restarted. Events
 * are redelivered until acknowledged, as Honeybee does; fills are placed while the kills happen.
 * Afterwards every acknowledged event is stored and processed, each fill has exactly one order, and no
 * outbox row is stuck. Sizes: -Dreliability.crash.events (default 1200), -Dreliability.crash.kills (3).
 */
class CrashRecoveryTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void acknowledgedEventsSurviveKillsAndNoFillIsDuplicated(String database) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "reliability"));
        String dbUrl;
        Map<String, String> credentials;
        if (database.equals("h2")) {
            Path file = dir.resolve("crash-h2-" + System.nanoTime());
            dbUrl = "jdbc:h2:file:" + file.toAbsolutePath() + ";WRITE_DELAY=0;AUTO_SERVER=TRUE";
            credentials = Map.of("honeybee.db.user", "sa", "honeybee.db.password", "");
        } else {
            dbUrl = PostgresDatabase.freshSchemaUrl();
            credentials = PostgresDatabase.credentials();
        }
        int eventTarget = Figures.size("reliability.crash.events", 1200) / 4;
        int kills = Figures.size("reliability.crash.kills", 3);
        int fillCount = 20;
        int port = MultiInstanceTest.freePort();
        String webhookUrl = "http://localhost:" + port + "/webhooks/honeybee";

        try (RunningBundle honeybee = RunningBundle.start(Map.of("honeybee.sandbox.webhook-url", webhookUrl,
                "honeybee.sandbox.step-ms", "200", "honeybee.outbox.enabled", "false", "honeybee.inbox.dispatch-enabled", "false"))) {
            SandboxHoneybee sandbox = honeybee.bean("honeybeeSandbox", SandboxHoneybee.class);
            Map<String, String> properties = BundleProcess.clientOf(honeybee, dbUrl, credentials);
            properties.put("honeybee.inbox.lease-seconds", "3");
            properties.put("honeybee.outbox.lease-seconds", "3");
            BundleProcess bundle = new BundleProcess(port, properties, dir.resolve("crash-" + database + ".log")).start();

            HikariDataSource dataSource = HoneybeeDatabase.createDataSource(dbUrl, credentials.get("honeybee.db.user"),
                    credentials.get("honeybee.db.password"), 2);
            Sql sql = new Sql(dataSource);
            JdbcPartnerPatientDirectory directory = new JdbcPartnerPatientDirectory(sql);
            ObjectMapper mapper = new ObjectMapper();
            List<Long> prescriptions = new ArrayList<>();

            WebhookLoad load = new WebhookLoad(7);
            ConcurrentLinkedQueue<WebhookLoad.Event> pending = new ConcurrentLinkedQueue<>(load.deliveries(load.lifecycles("cr", eventTarget), 0.05));
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicBoolean sending = new AtomicBoolean(true);
            ExecutorService senders = Executors.newFixedThreadPool(4);
            for (int t = 0; t < 4; t++) {
                senders.submit(() -> {
                    while (sending.get()) {
                        WebhookLoad.Event event = pending.poll();
                        if (event == null) {
                            return;
                        }
                        if (load.post(webhookUrl, RunningBundle.SECRET, event) == 200) {
                            acknowledged.add(event.eventId());
                        } else {
                            pending.add(event);   // no answer (the process is down): deliver again later
                        }
                    }
                    return;
                });
            }

            for (int kill = 0; kill < kills; kill++) {
                for (int i = kill * fillCount / kills; i < (kill + 1) * fillCount / kills; i++) {
                    directory.upsert(new PartnerPatient("CP-" + i, "CEHR-" + i, "c" + i + "@example.com", "C", "P" + i,
                            LocalDate.of(1980, 1, 1), "5550000000", i + " Main St", null, "Austin", "TX", "78701", true));
                    prescriptions.add(sandbox.createTestPrescription(mapper.createObjectNode().put("ehr_id", "CEHR-" + i)
                            .put("first_name", "C").put("last_name", "P" + i).put("refills", 1)).path("prescription_id").asLong());
                }
                Thread.sleep(500 + load.random().nextInt(2000));   // a random moment under load: the point of the test
                bundle.kill();
                bundle.start();
            }

            senders.shutdown();
            assertThat(senders.awaitTermination(3, TimeUnit.MINUTES)).isTrue();
            try {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() ->
                        sql.count("SELECT COUNT(*) FROM inbox WHERE status = 'PENDING'") == 0
                                && sql.count("SELECT COUNT(*) FROM fill_request WHERE status = 'PLACED'") == fillCount
                                && sql.count("SELECT COUNT(*) FROM fill_request WHERE status IN ('PENDING', 'UNKNOWN')") == 0);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("the bundle did not settle after the kills: " + settlement(sql, prescriptions), e);
            }

            long storedAcknowledged = acknowledged.stream().filter(id -> sql.count("SELECT COUNT(*) FROM inbox WHERE event_id = ?", id) == 1).count();
            long processedAcknowledged = acknowledged.stream()
                    .filter(id -> sql.count("SELECT COUNT(*) FROM inbox WHERE event_id = ? AND status = 'PROCESSED'", id) == 1).count();
            long orders = prescriptions.stream().mapToLong(rx -> sandbox.orderNumbersFor(rx).size()).sum();
            // the storm's own RX_RECEIVED events ask for fills of patients Honeybee does not know: those end
            // as dead letters (404); stuck means left pending or unknown, which nothing would ever finish
            long stuck = sql.count("SELECT COUNT(*) FROM fill_request WHERE status IN ('PENDING', 'UNKNOWN')");
            long deadFills = sql.count("SELECT COUNT(*) FROM fill_request WHERE status = 'DEAD'");
            new Figures("crash-" + database).put("kills (SIGKILL)", kills).put("events acknowledged", acknowledged.size())
                    .put("acknowledged and stored", storedAcknowledged).put("acknowledged and processed", processedAcknowledged)
                    .put("lost", acknowledged.size() - processedAcknowledged).put("fills requested", fillCount)
                    .put("orders created", orders).put("POST /orders received", sandbox.orderPosts())
                    .put("duplicate orders", orders - fillCount).put("outbox rows stuck (pending or unknown)", stuck)
                    .put("fills of unknown patients dead-lettered", deadFills).write();

            assertThat(acknowledged).hasSize(eventTarget * 4);
            assertThat(storedAcknowledged).isEqualTo(acknowledged.size());
            assertThat(processedAcknowledged).isEqualTo(acknowledged.size());
            assertThat(orders).isEqualTo(fillCount);
            assertThat(stuck).isZero();
            dataSource.close();
            bundle.stop();
        }
    }

    /** What is left unsettled, for a failure message: rows by status, and the fills of the test's own prescriptions. */
    private static String settlement(Sql sql, List<Long> prescriptions) {
        StringBuilder state = new StringBuilder();
        state.append("inbox ").append(sql.query("SELECT status, COUNT(*), MAX(attempts) FROM inbox GROUP BY status",
                row -> row.getString(1) + "=" + row.getLong(2) + " (max attempts " + row.getInt(3) + ")"));
        state.append("; fill_request ").append(sql.query("SELECT status, COUNT(*) FROM fill_request GROUP BY status",
                row -> row.getString(1) + "=" + row.getLong(2)));
        for (long rx : prescriptions) {
            if (sql.count("SELECT COUNT(*) FROM fill_request WHERE prescription_id = ?", rx) == 0) {
                state.append("; rx ").append(rx).append(": no fill");
            }
            sql.query("SELECT status, attempts, next_attempt_at, locked_until, last_error FROM fill_request"
                            + " WHERE prescription_id = ? AND status <> 'PLACED'",
                    row -> "rx " + rx + ": " + row.getString(1) + " attempts " + row.getInt(2) + " next " + row.getString(3)
                            + " locked " + row.getString(4) + " error " + row.getString(5), rx)
                    .forEach(unsettled -> state.append("; ").append(unsettled));
        }
        return state.toString();
    }
}
