package com.example.honeybee.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.example.honeybee.db.HoneybeeDatabase;
import com.example.honeybee.db.Sql;
import com.example.honeybee.patients.JdbcPartnerPatientDirectory;
import com.example.honeybee.patients.PartnerPatient;
import com.example.honeybee.sandbox.SandboxHoneybee;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

/**
 * Three bundle processes on one PostgreSQL database behind one Honeybee (the sandbox, in this JVM):
 * events delivered at random instances, some twice, out of order; fills placed by whichever instance
 * claims them; the refill schedule on clustered Quartz. Afterwards: each event stored once and
 * processed once, each fill posted once, each Quartz trigger fired once.
 * Sizes: -Dreliability.events (default 2000), -Dreliability.fills (default 40).
 */
class MultiInstanceTest {

    @Test
    void competingInstancesProcessEveryEventOnceAndPlaceEveryFillOnce() throws Exception {
        String dbUrl = PostgresDatabase.freshSchemaUrl();
        int orders = Figures.size("reliability.events", 2000) / 4;
        int fillCount = Figures.size("reliability.fills", 40);
        Path logs = Files.createDirectories(Path.of("target", "reliability"));
        List<BundleProcess> instances = new ArrayList<>();
        try (RunningBundle honeybee = RunningBundle.start(Map.of("honeybee.webhook.public-url", "http://unused.invalid/",
                "honeybee.sandbox.step-ms", "300000", "honeybee.outbox.enabled", "false", "honeybee.inbox.dispatch-enabled", "false"))) {
            SandboxHoneybee sandbox = honeybee.bean("honeybeeSandbox", SandboxHoneybee.class);
            int[] ports = {freePort(), freePort(), freePort()};
            for (int i = 0; i < ports.length; i++) {
                Map<String, String> properties = BundleProcess.clientOf(honeybee, dbUrl, PostgresDatabase.credentials());
                properties.put("honeybee.db.pool-size", "6");
                properties.put("honeybee.quartz.clustered", "true");
                properties.put("honeybee.quartz.checkin-interval-ms", "1000");
                properties.put("honeybee.refill.cron", "0/2+*+*+*+*+?");
                instances.add(new BundleProcess(ports[i], properties, logs.resolve("multi-instance-" + i + ".log")));
            }
            instances.get(0).start();   // migrates the schema first
            instances.get(1).start();
            instances.get(2).start();

            // the fills: Test Prescriptions at Honeybee, delivered to instance 0 and ordered by any instance
            HikariDataSource shared = HoneybeeDatabase.createDataSource(dbUrl, PostgresDatabase.USER, PostgresDatabase.PASSWORD, 2);
            Sql sql = new Sql(shared);
            JdbcPartnerPatientDirectory directory = new JdbcPartnerPatientDirectory(sql);
            ObjectMapper mapper = new ObjectMapper();
            List<Long> prescriptions = new ArrayList<>();
            for (int i = 0; i < fillCount; i++) {
                directory.upsert(new PartnerPatient("MP-" + i, "MEHR-" + i, "m" + i + "@example.com", "M", "P" + i, LocalDate.of(1980, 1, 1),
                        "5550000000", i + " Main St", null, "Austin", "TX", "78701", true));
                prescriptions.add(sandbox.createTestPrescription(mapper.createObjectNode().put("ehr_id", "MEHR-" + i).put("first_name", "M")
                        .put("last_name", "P" + i).put("email", "m" + i + "@example.com").put("refills", 2)).path("prescription_id").asLong());
            }
            WebhookLoad load = new WebhookLoad(42);
            for (byte[] webhook : sandbox.tick()) {
                assertThat(load.deliver(instances.get(0).webhookUrl(), RunningBundle.SECRET, new WebhookLoad.Event("sandbox", "RX_RECEIVED", webhook), 60)
                        .status()).as("the sandbox's RX_RECEIVED").isEqualTo(200);
            }

            // the storm: every event once, 10% twice, shuffled, to any instance, 8 at a time
            List<WebhookLoad.Event> events = load.lifecycles("mi", orders);
            List<WebhookLoad.Event> deliveries = load.deliveries(events, 0.10);
            AtomicInteger non200 = new AtomicInteger();
            AtomicInteger deferred = new AtomicInteger();
            ExecutorService senders = Executors.newFixedThreadPool(8);
            List<Future<?>> sent = new ArrayList<>();
            for (WebhookLoad.Event event : deliveries) {
                BundleProcess target = instances.get(load.random().nextInt(instances.size()));
                sent.add(senders.submit(() -> {
                    // on a busy machine an instance's admission control may answer 503 + Retry-After: sent again, as Honeybee would
                    WebhookLoad.Delivery delivery = load.deliver(target.webhookUrl(), RunningBundle.SECRET, event, 60);
                    deferred.addAndGet(delivery.deferrals());
                    if (delivery.status() != 200) {
                        non200.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
            senders.shutdown();

            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    sql.count("SELECT COUNT(*) FROM inbox WHERE status = 'PENDING'") == 0
                            && sql.count("SELECT COUNT(*) FROM fill_request WHERE status = 'PLACED'") == fillCount);
            // let the 2-second cron fire a few more times across the three instances
            await().atMost(Duration.ofSeconds(30)).until(() -> sql.count("SELECT COUNT(DISTINCT scheduled_fire_time) FROM schedule_run"
                    + " WHERE schedule = 'refill-schedule'") >= 5);

            long stored = sql.count("SELECT COUNT(*) FROM inbox WHERE event_id LIKE 'mi-%'");
            long processed = sql.count("SELECT COUNT(*) FROM inbox WHERE event_id LIKE 'mi-%' AND status = 'PROCESSED'");
            long claimedMoreThanOnce = sql.count("SELECT COUNT(*) FROM inbox WHERE attempts <> 1");
            long ordersAtHoneybee = prescriptions.stream().mapToLong(rx -> sandbox.orderNumbersFor(rx).size()).sum();
            long duplicateFires = sql.count("SELECT COUNT(*) FROM (SELECT scheduled_fire_time FROM schedule_run WHERE schedule = 'refill-schedule'"
                    + " GROUP BY scheduled_fire_time HAVING COUNT(*) > 1) d");
            long fires = sql.count("SELECT COUNT(DISTINCT scheduled_fire_time) FROM schedule_run WHERE schedule = 'refill-schedule'");
            long firingInstances = sql.count("SELECT COUNT(DISTINCT instance) FROM schedule_run");
            long processingInstances = sql.count("SELECT COUNT(DISTINCT locked_by) FROM inbox WHERE event_id LIKE 'mi-%'");
            new Figures("multi-instance").put("instances", instances.size()).put("events sent (distinct)", events.size())
                    .put("deliveries (with duplicates)", deliveries.size()).put("deferred (503 + Retry-After, sent again)", deferred.get()).put("answers other than 200", non200.get())
                    .put("stored", stored).put("processed", processed).put("lost", events.size() - processed)
                    .put("events claimed more than once", claimedMoreThanOnce).put("instances that processed events", processingInstances)
                    .put("fills requested", fillCount).put("orders created at Honeybee", ordersAtHoneybee)
                    .put("POST /orders received", sandbox.orderPosts()).put("duplicate orders", ordersAtHoneybee - fillCount)
                    .put("quartz triggers fired", fires).put("triggers fired more than once", duplicateFires)
                    .put("instances that fired triggers", firingInstances).write();

            assertThat(non200.get()).isZero();
            assertThat(stored).isEqualTo(events.size());
            assertThat(processed).isEqualTo(events.size());
            assertThat(claimedMoreThanOnce).isZero();
            assertThat(ordersAtHoneybee).isEqualTo(fillCount);
            assertThat(sandbox.orderPosts()).isEqualTo(fillCount);
            assertThat(duplicateFires).isZero();
            assertThat(sql.count("SELECT COUNT(*) FROM rx_order WHERE order_number LIKE 'MIO%' AND status <> 'Delivered'")).isZero();
            shared.close();
        } finally {
            for (BundleProcess instance : instances) {
                instance.stop();
            }
        }
    }

    static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
