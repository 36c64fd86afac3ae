package com.example.honeybee.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.example.honeybee.db.H2StoreMaintenance;
import com.example.honeybee.db.HoneybeeDatabase;
import com.example.honeybee.db.Sql;
import com.example.honeybee.inbox.InboxEntry;
import com.example.honeybee.inbox.InboxRepository;
import com.example.honeybee.webhook.WebhookEvent;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The H2 file's growth per stored event under the bundle's own write pattern (the inbox insert, the claim,
 * one transaction per batch, the purge of processed bodies), with each store option of BENCHMARKS.md:
 * {@code mvn -B -q -Pbench test-compile exec:java -Dbench.main=com.example.honeybee.bench.H2StoreOptions -Dbench.args="20000 10"}
 * (events, events per batch). The file stays open (no offline compaction); its size is read before close.
 */
public final class H2StoreOptions {

    private H2StoreOptions() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Map<String, String> options = new LinkedHashMap<>();
        options.put("WRITE_DELAY=0 (durable; before the maintenance)", ";WRITE_DELAY=0|none");
        options.put("WRITE_DELAY=0 + CHECKPOINT every 1,000 events", ";WRITE_DELAY=0|checkpoint");
        options.put("WRITE_DELAY=0;MAX_COMPACT_TIME=2000 (applies at close only)", ";WRITE_DELAY=0;MAX_COMPACT_TIME=2000|none");
        options.put("WRITE_DELAY=0 + online compaction every 1,000 events (chosen)", ";WRITE_DELAY=0|compact");
        options.put("WRITE_DELAY=0;RETENTION_TIME=0 (not crash-safe: reference only)", ";WRITE_DELAY=0;RETENTION_TIME=0|none");
        options.put("WRITE_DELAY=1 (not durable: reference only)", ";WRITE_DELAY=1|none");
        System.out.printf("| H2 options | KiB per stored event | file after %,d events (MiB) | ms per event |%n|---|---|---|---|%n", events);
        for (Map.Entry<String, String> option : options.entrySet()) {
            String[] parts = option.getValue().split("\\|");
            measure(option.getKey(), parts[0], parts[1], events, batch);
        }
    }

    private static void measure(String label, String urlOptions, String maintenance, int events, int batch) throws Exception {
        Path dir = Files.createTempDirectory("h2-store-options");
        Path file = dir.resolve("honeybee.mv.db");
        try (HikariDataSource dataSource = HoneybeeDatabase.createDataSource("jdbc:h2:file:" + dir.resolve("honeybee") + urlOptions, "sa", "", 4)) {
            HoneybeeDatabase.migrate(dataSource);
            Sql sql = new Sql(dataSource);
            InboxRepository inbox = new InboxRepository(sql, Clock.systemUTC(), "bench", Duration.ofMinutes(1));
            H2StoreMaintenance store = new H2StoreMaintenance(sql, true, 80);
            byte[] body = new byte[900];
            java.util.Arrays.fill(body, (byte) 'x');
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                body[0] = (byte) i;
                inbox.storeOne(new WebhookEvent("ev-" + i, "RX_UPDATED", "patient-" + i), body);
                if ((i + 1) % batch == 0) {
                    var claimed = inbox.claimBatch(batch);
                    sql.begin();
                    for (InboxEntry entry : claimed) {
                        sql.savepoint();
                        inbox.markProcessed(entry.eventId());
                        sql.releaseSavepoint();
                    }
                    sql.commit();
                }
                if ((i + 1) % 1000 == 0) {
                    inbox.purgeBodies(0);
                    if (maintenance.equals("checkpoint")) {
                        sql.update("CHECKPOINT");
                    } else if (maintenance.equals("compact")) {
                        store.maintain();
                    }
                }
            }
            double millisPerEvent = (System.nanoTime() - start) / 1e6 / events;
            long size = Files.size(file);
            System.out.printf("| %s | %.1f | %.1f | %.3f |%n", label, size / 1024.0 / events, size / 1048576.0, millisPerEvent);
        } finally {
            try (var paths = Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
