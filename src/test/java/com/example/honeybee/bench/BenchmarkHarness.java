package com.example.honeybee.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import com.example.honeybee.it.PostgresDatabase;
import com.example.honeybee.it.RunningBundle;
import com.example.honeybee.patients.JdbcPartnerPatientDirectory;
import com.example.honeybee.patients.PartnerPatient;
import com.example.honeybee.sandbox.SandboxHoneybee;
import com.example.honeybee.support.HoneybeeHeaders;
import com.example.honeybee.webhook.SignatureVerifier;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.builder.RouteBuilder;

/**
 * The benchmark harness: starts the bundle in-process (H2 or PostgreSQL) beside a bare baseline route
 * on the same HTTP server, and measures in one run ack throughput at saturation (closed loop, fixed
 * concurrency), ack latency at fixed offered rates (open loop, latency from the intended send time),
 * end-to-end latency from RX_RECEIVED posted to POST /orders received by the sandbox (fill policy
 * auto), the disk's fsync rate, startup time and resident memory. It checks that no acknowledged event
 * was lost and no order duplicated. Results: stdout and target/bench/results-DB.md.
 *
 * <p>Arguments: {@code --db h2|postgres --runs 3 --concurrency 32 --seconds 8 --requests 0 --e2e 300 --dispatch true}
 * ({@code --requests N}: N requests per saturation pass instead of {@code --seconds}); for comparisons,
 * {@code --h2-options ";WRITE_DELAY=0"} (appended to the H2 URL) and {@code --set key=value,key=value} (bundle properties).
 */
public final class BenchmarkHarness {

    /** For the end-to-end pass only, at 10 requests per second. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong sequence = new AtomicLong();
    /** CPU µs per request by thread group: the saturation passes of the bundle, the baseline and the durable floor. */
    private final List<Map<String, Double>> cpuByThread = new ArrayList<>();
    /** Requests per saturation pass; 0: each pass lasts --seconds instead. */
    private final long requestsPerPass;

    /**
     * The passes that measure issue-14's targets: a saturation pass of {@code saturationSeconds} comparing
     * processed/s with acknowledged/s and timing the drain after it; {@code longEvents} events at half the
     * saturation rate for the H2 file's growth (0: skipped); {@code cpuEvents} events processed from a backlog
     * for the dispatcher's CPU per event, and with {@code before} the same in a second bundle on the path
     * before batches and wakeups (a transaction per event, polling, one thread), so both figures come from one run.
     */
    record Targets(double saturationSeconds, int longEvents, int cpuEvents, boolean before) {
    }

    /** The settings that restore the dispatch path before batches and wakeups, for the "before" figures. */
    static final Map<String, String> BEFORE = Map.of("honeybee.inbox.batch-transaction", "false", "honeybee.inbox.wake-on-commit", "false",
            "honeybee.inbox.dispatcher-threads", "1", "honeybee.db.h2-maintenance-enabled", "false");

    private Targets targets = new Targets(0, 0, 0, false);

    BenchmarkHarness(long requestsPerPass) {
        this.requestsPerPass = requestsPerPass;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("--db", "h2", "--runs", "3", "--concurrency", "32", "--seconds", "8",
                "--requests", "0", "--e2e", "300", "--dispatch", "true", "--h2-options", ";WRITE_DELAY=0", "--set", ""));
        options.putAll(Map.of("--saturation-seconds", "60", "--long-events", "100000", "--cpu-events", "5000", "--before", "true"));
        for (int i = 0; i < args.length; i += 2) {
            if (!options.containsKey(args[i]) || i + 1 == args.length) {
                System.err.println("unknown option or missing value: " + args[i] + "; options and defaults: " + new java.util.TreeMap<>(options));
                System.exit(2);
            }
            options.put(args[i], args[i + 1]);
        }
        String db = options.get("--db");
        int runs = Integer.parseInt(options.get("--runs"));
        List<Map<String, Double>> results = new ArrayList<>();
        StringBuilder cpuTables = new StringBuilder();
        for (int run = 1; run <= runs; run++) {
            System.out.printf("%n== run %d of %d on %s%n", run, runs, db);
            BenchmarkHarness harness = new BenchmarkHarness(Long.parseLong(options.get("--requests")));
            harness.targets = new Targets(Double.parseDouble(options.get("--saturation-seconds")), Integer.parseInt(options.get("--long-events")),
                    Integer.parseInt(options.get("--cpu-events")), Boolean.parseBoolean(options.get("--before")));
            results.add(harness.run(db, Integer.parseInt(options.get("--concurrency")),
                    Double.parseDouble(options.get("--seconds")), Integer.parseInt(options.get("--e2e")),
                    Boolean.parseBoolean(options.get("--dispatch")), options.get("--h2-options"), options.get("--set")));
            // the figures first: a run's table is never lost to the CPU breakdown
            System.out.println(table(db, run, options, results));
            cpuTables.append(harness.cpuTable(run));
        }
        String table = table(db, runs, options, results) + cpuTables;
        System.out.println(table);
        Files.createDirectories(Path.of("target", "bench"));
        Files.writeString(Path.of("target", "bench", "results-" + db + (Boolean.parseBoolean(options.get("--dispatch")) ? "" : "-intake-only")
                + ".md"), table);
        System.exit(0);
    }

    /** One run; with {@code dispatch} false the inbox is not processed, which isolates the cost of intake. */
    Map<String, Double> run(String db, int concurrency, double seconds, int e2ePrescriptions, boolean dispatch, String h2Options,
            String settings) throws Exception {
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("disk fsync/s (64-byte write + force)", fsyncRate());
        Map<String, String> overrides = new HashMap<>(Map.of("honeybee.fill.policy", "auto", "honeybee.sandbox.step-ms", "3600000",
                "honeybee.inbox.poll-delay-ms", "20", "honeybee.outbox.poll-delay-ms", "20", "honeybee.demo.enabled", "false",
                "honeybee.inbox.dispatch-enabled", String.valueOf(dispatch),
                // the purge on and acting within a run: every 10 s, bodies of events processed before now
                "honeybee.inbox.purge-cron", "0/10+*+*+*+*+?", "honeybee.inbox.retention-days", "0",
                // every sender of the harness is on the loopback, as many of Honeybee's senders behind one address:
                // the per-address cap would refuse the harness's own client beside the load generator's 64 connections
                "honeybee.http.max-connections-per-address", "0"));
        for (String setting : settings.split(",")) {
            if (setting.contains("=")) {
                overrides.put(setting.substring(0, setting.indexOf('=')).trim(), setting.substring(setting.indexOf('=') + 1).trim());
            }
        }
        Path h2Dir = Files.createTempDirectory("bench-h2");
        String dbUrl = "jdbc:h2:file:" + h2Dir.resolve("honeybee") + h2Options;
        if (db.equals("postgres")) {
            dbUrl = PostgresDatabase.freshSchemaUrl();
            overrides.putAll(PostgresDatabase.credentials());
        }
        long startupStarted = System.nanoTime();
        try (RunningBundle bundle = RunningBundle.start(dbUrl, overrides);
                LoadGenerator load = new LoadGenerator(bundle.port(), Math.max(concurrency, 64))) {
            figures.put("startup to ready (ms)", (System.nanoTime() - startupStarted) / 1e6);
            bundle.context().addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // the bare baseline: same server, reads the body, answers 200, does nothing else
                    from("platform-http:/bench/baseline?httpMethodRestrict=POST").routeId("bench-baseline")
                            .convertBodyTo(byte[].class).setBody(constant("{\"status\":\"ok\"}"));
                    // the durable floor: the baseline plus the bundle's own inbox insert (same group commit), and nothing
                    // else (no signature, no validation): what a durable acknowledgement costs on this machine at least
                    from("platform-http:/bench/durable-floor?httpMethodRestrict=POST").routeId("bench-durable-floor")
                            .convertBodyTo(byte[].class)
                            .setHeader(HoneybeeHeaders.EVENT_ID, header("X-Bench-Event-Id"))
                            .setHeader(HoneybeeHeaders.EVENT_TYPE, header("X-Bench-Event-Type"))
                            .setHeader(HoneybeeHeaders.PATIENT_ID, header("X-Bench-Event-Id"))
                            .bean("honeybeeInbox", "store").setBody(constant("{\"status\":\"ok\"}"));
                }
            });
            String webhookPath = URI.create(bundle.webhookUrl()).getPath();
            LongFunction<LoadGenerator.Request> toBundle = i -> signed(bundle.webhookUrl(), webhookPath, event("bench-" + sequence.incrementAndGet()));
            LongFunction<LoadGenerator.Request> toFloor = i -> floor("floor-" + sequence.incrementAndGet());
            LongFunction<LoadGenerator.Request> toBaseline = i -> signed("http://localhost:" + bundle.port() + "/bench/baseline", "/bench/baseline",
                    event("base-" + sequence.incrementAndGet()));

            // warm-up of both paths, so the JIT has compiled them before anything is measured
            acknowledged(load.closedLoop(toBundle, concurrency, seconds));
            load.closedLoop(toBaseline, concurrency, seconds);
            // each measured pass starts on a drained inbox, so no pass pays for the previous one's backlog
            drain(bundle, dispatch);
            long passStart = System.currentTimeMillis();
            ThreadCpu bundleCpu = new ThreadCpu(load.eventLoopThreadId());
            LoadGenerator.Result bundleSat = acknowledged(saturate(load, toBundle, concurrency, seconds));
            cpuByThread.add(bundleCpu.perRequest(bundleSat.sent()));
            // printed so that a profile (JFR) of the run can be cut to the bundle's saturation pass
            System.out.printf("bundle saturation pass: %d..%d (epoch ms)%n", passStart, System.currentTimeMillis());
            drain(bundle, dispatch);
            ThreadCpu baselineCpu = new ThreadCpu(load.eventLoopThreadId());
            LoadGenerator.Result baseSat = saturate(load, toBaseline, concurrency, seconds);
            cpuByThread.add(baselineCpu.perRequest(baseSat.sent()));
            drain(bundle, dispatch);
            ThreadCpu floorCpu = new ThreadCpu(load.eventLoopThreadId());
            LoadGenerator.Result floorSat = saturate(load, toFloor, concurrency, seconds);
            cpuByThread.add(floorCpu.perRequest(floorSat.sent()));
            put(figures, "ack at saturation, c=" + concurrency, bundleSat);
            put(figures, "baseline at saturation, c=" + concurrency, baseSat);
            put(figures, "durable floor at saturation, c=" + concurrency, floorSat);
            figures.put("ack throughput / baseline", bundleSat.throughput() / baseSat.throughput());
            figures.put("durable floor / baseline", floorSat.throughput() / baseSat.throughput());
            for (double share : new double[] {0.25, 0.5, 0.75}) {
                double rate = bundleSat.throughput() * share;
                drain(bundle, dispatch);
                LoadGenerator.Result bundleOpen = acknowledged(load.openLoop(toBundle, rate, OPEN_LOOP_SECONDS));
                drain(bundle, dispatch);
                LoadGenerator.Result baseOpen = load.openLoop(toBaseline, rate, OPEN_LOOP_SECONDS);
                // keyed by share, not by rate: each run's saturation (and so its rates) differs
                String label = String.format("%.0f%% of saturation", share * 100);
                put(figures, "ack at " + label, bundleOpen);
                put(figures, "baseline at " + label, baseOpen);
                if (share == 0.5) {
                    figures.put("p99 ack / baseline p99 at 50%", bundleOpen.p99() / baseOpen.p99());
                }
            }
            if (dispatch) {
                endToEnd(bundle, e2ePrescriptions, figures);
                // the bare baseline at the end-to-end pass's rate (10/s) and length, for the e2e ratios
                drain(bundle, dispatch);
                LoadGenerator.Result e2eBase = load.openLoop(toBaseline, 10, Math.max(3, e2ePrescriptions / 10.0));
                figures.put("baseline at 10/s p50 (ms)", e2eBase.p50());
                figures.put("baseline at 10/s p99 (ms)", e2eBase.p99());
                figures.put("TARGET e2e p50 / baseline p50 (<= 10)", figures.get("e2e RX_RECEIVED to POST /orders p50 (ms)") / e2eBase.p50());
                figures.put("TARGET e2e p99 / baseline p99 (<= 10)", figures.get("e2e p99 (ms)") / e2eBase.p99());
                if (targets.cpuEvents() > 0) {
                    drain(bundle, dispatch);
                    figures.put("dispatcher CPU µs per processed event", dispatcherCpu(bundle, load, toBundle, concurrency, targets.cpuEvents()));
                }
                if (targets.saturationSeconds() > 0) {
                    drain(bundle, dispatch);
                    saturationPass(bundle, load, toBundle, concurrency, targets.saturationSeconds(), figures);
                }
                if (!db.equals("postgres") && targets.longEvents() > 0) {
                    drain(bundle, dispatch);
                    // half the ack saturation, but no faster than 80% of what the dispatcher processed at saturation: the
                    // long run measures the store's growth, not admission control
                    double processed = figures.getOrDefault("processed/s in the saturation pass", Double.MAX_VALUE);
                    longRun(bundle, load, toBundle, Math.min(bundleSat.throughput() / 2, processed * 0.8), targets.longEvents(),
                            h2Dir.resolve("honeybee.mv.db"), figures);
                }
            }
            lossAndDuplicates(bundle, figures, dispatch);
            figures.put("resident memory after run (MiB)", residentMiB());
            if (!db.equals("postgres")) {
                long fileBytes = Files.size(h2Dir.resolve("honeybee.mv.db"));
                figures.put("H2 database file after the run (MiB)", fileBytes / 1048576.0);
                figures.put("H2 file KiB per stored event", fileBytes / 1024.0 / Math.max(1, bundle.sql().count("SELECT COUNT(*) FROM inbox")));
            }
        } finally {
            // a run's H2 file reaches gigabytes (see BENCHMARKS.md): never leave it behind
            deleteRecursively(h2Dir);
        }
        if (dispatch && targets.before() && targets.cpuEvents() > 0) {
            figures.put("dispatcher CPU µs per processed event, path before batches", beforeCpu(db, concurrency, h2Options, overrides));
            figures.put("TARGET dispatcher CPU now / before (<= 0.5)", figures.get("dispatcher CPU µs per processed event")
                    / figures.get("dispatcher CPU µs per processed event, path before batches"));
        }
        return figures;
    }

    /** The dispatcher's CPU per event on the path before batches and wakeups, in a second bundle of the same run. */
    private double beforeCpu(String db, int concurrency, String h2Options, Map<String, String> overrides) throws Exception {
        Map<String, String> before = new HashMap<>(overrides);
        before.putAll(BEFORE);
        Path h2Dir = Files.createTempDirectory("bench-h2-before");
        String dbUrl = db.equals("postgres") ? PostgresDatabase.freshSchemaUrl() : "jdbc:h2:file:" + h2Dir.resolve("honeybee") + h2Options;
        try (RunningBundle bundle = RunningBundle.start(dbUrl, before);
                LoadGenerator load = new LoadGenerator(bundle.port(), Math.max(concurrency, 64))) {
            String webhookPath = URI.create(bundle.webhookUrl()).getPath();
            LongFunction<LoadGenerator.Request> toBundle = i -> signed(bundle.webhookUrl(), webhookPath, event("bench-" + sequence.incrementAndGet()));
            // warm-up, as for the bundle's own figure
            load.closedLoop(toBundle, concurrency, 600, targets.cpuEvents());
            drain(bundle, true);
            return dispatcherCpu(bundle, load, toBundle, concurrency, targets.cpuEvents());
        } finally {
            ACKED.set(0);
            deleteRecursively(h2Dir);
        }
    }

    /**
     * The dispatcher's CPU per processed event: a backlog of {@code events} is stored with the dispatcher stopped,
     * then the dispatcher is started and its threads' CPU counted until the backlog is processed.
     */
    private double dispatcherCpu(RunningBundle bundle, LoadGenerator load, LongFunction<LoadGenerator.Request> toBundle, int concurrency,
                                 int events) throws Exception {
        bundle.context().getRouteController().stopRoute("honeybee-inbox-dispatch");
        acknowledged(load.closedLoop(toBundle, concurrency, 600, events));
        long pending = bundle.sql().count("SELECT COUNT(*) FROM inbox WHERE status = 'PENDING'");
        ThreadCpu cpu = new ThreadCpu(load.eventLoopThreadId());
        bundle.context().getRouteController().startRoute("honeybee-inbox-dispatch");
        drain(bundle, true);
        return cpu.perRequest(pending).entrySet().stream().filter(e -> e.getKey().contains("inbox-dispatch"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** Closed-loop saturation for {@code seconds}: events processed per second against events acknowledged per second, then the drain. */
    private void saturationPass(RunningBundle bundle, LoadGenerator load, LongFunction<LoadGenerator.Request> toBundle, int concurrency,
                                double seconds, Map<String, Double> figures) throws Exception {
        long processedBefore = bundle.sql().count("SELECT COUNT(*) FROM inbox WHERE status <> 'PENDING'");
        LoadGenerator.Result pass = acknowledged(load.closedLoop(toBundle, concurrency, seconds));
        long passEnd = System.nanoTime();
        long processedDuring = bundle.sql().count("SELECT COUNT(*) FROM inbox WHERE status <> 'PENDING'") - processedBefore;
        long backlog = bundle.sql().count("SELECT COUNT(*) FROM inbox WHERE status = 'PENDING'");
        drain(bundle, true);
        double drainSeconds = (System.nanoTime() - passEnd) / 1e9;
        double acked = (pass.sent() - pass.errors()) / seconds;
        double processed = processedDuring / seconds;
        figures.put("saturation pass (s)", seconds);
        figures.put("acknowledged/s in the saturation pass", acked);
        figures.put("deferred (503 + Retry-After) in the saturation pass", (double) pass.deferred());
        figures.put("processed/s in the saturation pass", processed);
        figures.put("backlog at the end of the saturation pass (events)", (double) backlog);
        figures.put("TARGET processed/s / acknowledged/s (>= 0.95)", processed / acked);
        figures.put("TARGET backlog drain after the pass (s, <= 5)", drainSeconds);
    }

    /**
     * {@code events} events at {@code rate}/s with the purge on (every 10 s) and no offline compaction; the H2 file's
     * size per stored event once the run is over and the store has had one more maintenance, the bundle still open.
     */
    private void longRun(RunningBundle bundle, LoadGenerator load, LongFunction<LoadGenerator.Request> toBundle, double rate, int events,
                         Path file, Map<String, Double> figures) throws Exception {
        long storedBefore = bundle.sql().count("SELECT COUNT(*) FROM inbox");
        long bytesBefore = Files.size(file);
        acknowledged(load.openLoop(toBundle, rate, events / rate));
        drain(bundle, true);
        long stored = bundle.sql().count("SELECT COUNT(*) FROM inbox") - storedBefore;
        long atEnd = Files.size(file);
        com.example.honeybee.db.H2StoreMaintenance store = bundle.bean("honeybeeH2Store", com.example.honeybee.db.H2StoreMaintenance.class);
        store.maintain();
        long afterQuiet = Files.size(file);
        figures.put("long run: events stored", (double) stored);
        figures.put("long run: offered rate (events/s)", rate);
        figures.put("long run: H2 file at the end of the load (MiB)", atEnd / 1048576.0);
        figures.put("long run: H2 file after one more maintenance (MiB)", afterQuiet / 1048576.0);
        figures.put("TARGET H2 KiB per stored event, long run (<= 5)", (afterQuiet - bytesBefore) / 1024.0 / Math.max(1, stored));
        figures.put("long run: H2 KiB per stored event at the end of the load", (atEnd - bytesBefore) / 1024.0 / Math.max(1, stored));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static final double OPEN_LOOP_SECONDS = 6;

    /** A measured saturation pass: --requests requests when given (with a ten-minute cap), else --seconds of load. */
    private LoadGenerator.Result saturate(LoadGenerator load, LongFunction<LoadGenerator.Request> requests, int concurrency, double seconds)
            throws Exception {
        return requestsPerPass > 0 ? load.closedLoop(requests, concurrency, 600, requestsPerPass) : load.closedLoop(requests, concurrency, seconds);
    }

    /** Counts the bundle's acknowledgements, which the loss check later compares with the inbox. */
    private static LoadGenerator.Result acknowledged(LoadGenerator.Result result) {
        ACKED.addAndGet(result.sent() - result.errors());
        return result;
    }

    /** Where the CPU of the saturation passes went, per request, by thread group. */
    String cpuTable(int run) {
        StringBuilder md = new StringBuilder("\n#### run " + run + ": CPU µs per request at saturation, by thread group\n\n"
                + "| thread group | bundle | baseline | durable floor |\n|---|---|---|---|\n");
        java.util.Set<String> groups = new java.util.LinkedHashSet<>();
        cpuByThread.forEach(pass -> groups.addAll(pass.keySet()));
        for (String group : groups) {
            md.append("| ").append(group);
            cpuByThread.forEach(pass -> md.append(" | ").append(format(pass.getOrDefault(group, 0.0))));
            md.append(" |\n");
        }
        md.append("| **all threads**");
        cpuByThread.forEach(pass -> md.append(" | ").append(format(pass.values().stream().mapToDouble(Double::doubleValue).sum())));
        md.append(" |\n");
        return md.toString();
    }

    /** Waits until the inbox is processed, so a measurement does not inherit the previous one's backlog. */
    private static void drain(RunningBundle bundle, boolean dispatch) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        while (dispatch && bundle.sql().count("SELECT COUNT(*) FROM inbox WHERE status = 'PENDING'") > 0
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
    }

    /** RX_RECEIVED for Test Prescriptions the sandbox knows, posted at 10/s; latency to the sandbox's POST /orders. */
    private void endToEnd(RunningBundle bundle, int count, Map<String, Double> figures) throws Exception {
        SandboxHoneybee sandbox = bundle.bean("honeybeeSandbox", SandboxHoneybee.class);
        JdbcPartnerPatientDirectory directory = new JdbcPartnerPatientDirectory(bundle.sql());
        ObjectMapper mapper = new ObjectMapper();
        List<Long> prescriptions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            directory.upsert(new PartnerPatient("BP-" + i, "BEHR-" + i, "b" + i + "@example.com", "B", "P" + i, LocalDate.of(1980, 1, 1),
                    "5550000000", i + " Main St", null, "Austin", "TX", "78701", true));
            prescriptions.add(sandbox.createTestPrescription(mapper.createObjectNode().put("ehr_id", "BEHR-" + i).put("refills", 1))
                    .path("prescription_id").asLong());
        }
        List<byte[]> webhooks = sandbox.tick();   // the RX_RECEIVED events, posted here with their send time
        Map<Long, Instant> posted = new HashMap<>();
        for (int i = 0; i < webhooks.size(); i++) {
            long rx = mapper.readTree(webhooks.get(i)).path("medication_requests").get(0).path("prescription_id").asLong();
            posted.put(rx, Instant.now());
            http.send(signed(bundle.webhookUrl(), webhooks.get(i)), HttpResponse.BodyHandlers.discarding());
            Thread.sleep(100);
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (prescriptions.stream().anyMatch(rx -> sandbox.firstOrderReceivedAt(rx) == null) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        double[] latencies = prescriptions.stream().filter(rx -> sandbox.firstOrderReceivedAt(rx) != null)
                .mapToDouble(rx -> Duration.between(posted.get(rx), sandbox.firstOrderReceivedAt(rx)).toNanos() / 1e6).sorted().toArray();
        figures.put("e2e RX_RECEIVED to POST /orders p50 (ms)", percentile(latencies, 50));
        figures.put("e2e p95 (ms)", percentile(latencies, 95));
        figures.put("e2e p99 (ms)", percentile(latencies, 99));
        figures.put("e2e orders duplicated", (double) prescriptions.stream().mapToLong(rx -> sandbox.orderNumbersFor(rx).size() - 1L).sum());
        figures.put("e2e prescriptions without an order", (double) (count - latencies.length));
    }

    private void lossAndDuplicates(RunningBundle bundle, Map<String, Double> figures, boolean dispatch) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (dispatch && bundle.sql().count("SELECT COUNT(*) FROM inbox WHERE status = 'PENDING'") > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        long acknowledged = ACKED.get();
        long stored = bundle.sql().count("SELECT COUNT(*) FROM inbox WHERE event_id LIKE 'bench-%'");
        figures.put("events acknowledged (bundle)", (double) acknowledged);
        figures.put("events lost (acknowledged, not stored)", (double) (acknowledged - stored));
        if (dispatch) {
            figures.put("events not processed after the run", (double) bundle.sql().count("SELECT COUNT(*) FROM inbox WHERE status = 'PENDING'"));
        }
        ACKED.set(0);
    }

    private static final AtomicLong ACKED = new AtomicLong();

    private static void put(Map<String, Double> figures, String label, LoadGenerator.Result l) {
        figures.put(label + ": req/s", l.throughput());
        figures.put(label + ": requests sent", (double) l.sent());
        figures.put(label + ": p50 ms", l.p50());
        figures.put(label + ": p95 ms", l.p95());
        figures.put(label + ": p99 ms", l.p99());
        figures.put(label + ": errors", (double) l.errors());
        figures.put(label + ": deferred (503 + Retry-After, sent again)", (double) l.deferred());
        figures.put(label + ": CPU µs per request (whole JVM)", l.cpuMicrosPerRequest());
        figures.put(label + ": machine CPU busy", l.machineBusy());
    }

    /** A uniquely identified RX_UPDATED or SHIPMENT_UPDATED, about the size of the guide's samples. */
    private static byte[] event(String id) {
        boolean shipment = eventType(id).equals("SHIPMENT_UPDATED");
        int slot = Math.abs(id.hashCode() % 5000);
        String order = "B" + slot;
        // one patient per order (5,000): the dispatcher keeps each patient's events in order, as in real traffic
        String patient = "bench-" + slot;
        String body = shipment
                ? "{\"event_id\":\"" + id + "\",\"patient_id\":\"" + patient + "\",\"event_type\":\"SHIPMENT_UPDATED\",\"medication_requests\":[{\"medication_dispenses\":"
                        + "[{\"order_number\":\"" + order + "\",\"order_status\":\"Shipped\",\"shipment\":{\"tracking_no\":\"774899172137\",\"carrier\":\"FedEx\","
                        + "\"method\":\"FedEx Priority Overnight\",\"tracking_url\":\"https://www.fedex.com/fedextrack/?trknbr=774899172137\","
                        + "\"shipment_updates\":[{\"event_code\":\"IT\",\"description\":\"In Transit\",\"occurred_at\":\"2024-03-15T09:28:57.000-07:00\"}]}}]}]}"
                : "{\"event_id\":\"" + id + "\",\"patient_id\":\"" + patient + "\",\"event_type\":\"RX_UPDATED\",\"medication_requests\":[{\"id\":" + (183601 + slot) + ","
                        + "\"drug_name\":\"ESTRADIOL 1MG TABLET\",\"ndc\":\"62135040012\",\"refills_left\":10,\"medication_dispenses\":[{\"order_number\":\""
                        + order + "\",\"order_status\":\"Filling\",\"order_date\":\"2024-03-14T13:17:54.906-07:00\",\"product_name\":\"Estradiol\","
                        + "\"strength\":\"1 mg\",\"form\":\"Tablet\",\"shipment\":null}]}]}";
        return body.getBytes(StandardCharsets.UTF_8);
    }

    /** A request for the durable floor: the id and type travel as headers, so the route needs no parsing. */
    private static LoadGenerator.Request floor(String id) {
        return new LoadGenerator.Request("/bench/durable-floor", event(id), null, Map.of("X-Bench-Event-Id", id, "X-Bench-Event-Type", eventType(id)));
    }

    /** Half the generated events are shipment updates, half prescription updates, chosen by id. */
    private static String eventType(String id) {
        return id.hashCode() % 2 == 0 ? "SHIPMENT_UPDATED" : "RX_UPDATED";
    }

    private static LoadGenerator.Request signed(String url, String path, byte[] body) {
        return new LoadGenerator.Request(path, body, SignatureVerifier.sign(RunningBundle.SECRET, "POST", url, body), Map.of());
    }

    private static HttpRequest signed(String url, byte[] body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("X-Honeybee-Signature", SignatureVerifier.sign(RunningBundle.SECRET, "POST", url, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** The physical limit of a durable ack: small synchronous writes per second on this disk. */
    private static double fsyncRate() throws IOException {
        Path file = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "fsync", ".bin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"); FileChannel channel = raf.getChannel()) {
            ByteBuffer record = ByteBuffer.wrap(new byte[64]);
            long end = System.nanoTime() + 2_000_000_000L;
            int writes = 0;
            long start = System.nanoTime();
            while (System.nanoTime() < end) {
                record.rewind();
                channel.write(record);
                channel.force(false);
                writes++;
            }
            return writes / ((System.nanoTime() - start) / 1e9);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static double residentMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String table(String db, int runs, Map<String, String> options, List<Map<String, Double>> results) {
        StringBuilder md = new StringBuilder("### " + db + " (median of " + runs + " runs; concurrency " + options.get("--concurrency")
                + ", " + (Long.parseLong(options.get("--requests")) > 0 ? options.get("--requests") + " requests" : options.get("--seconds") + " s")
                + " per saturation pass)\n\n| figure | median | runs |\n|---|---|---|\n");
        for (String key : results.get(0).keySet()) {
            double[] values = results.stream().mapToDouble(r -> r.getOrDefault(key, Double.NaN)).toArray();
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            md.append("| ").append(key).append(" | ").append(format(sorted[sorted.length / 2])).append(" | ")
                    .append(String.join(" / ", Arrays.stream(values).mapToObj(BenchmarkHarness::format).toList())).append(" |\n");
        }
        return md.toString();
    }

    private static String format(double value) {
        return Math.abs(value) >= 100 ? String.format("%.0f", value) : String.format("%.2f", value);
    }
}
