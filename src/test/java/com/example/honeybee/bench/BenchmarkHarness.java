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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import com.example.honeybee.it.PostgresDatabase;
import com.example.honeybee.it.RunningBundle;
import com.example.honeybee.patients.JdbcPartnerPatientDirectory;
import com.example.honeybee.patients.PartnerPatient;
import com.example.honeybee.sandbox.SandboxHoneybee;
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
 * <p>Arguments: {@code --db h2|postgres --runs 3 --concurrency 32 --requests 4000 --e2e 60 --dispatch true}.
 */
public final class BenchmarkHarness {

    private final HttpClient http = HttpClient.newBuilder().executor(java.util.concurrent.Executors.newFixedThreadPool(16))
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong sequence = new AtomicLong();

    record Latencies(double throughput, double p50, double p95, double p99, int errors) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("--db", "h2", "--runs", "3", "--concurrency", "32", "--requests", "4000", "--e2e", "60",
                "--dispatch", "true"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        String db = options.get("--db");
        int runs = Integer.parseInt(options.get("--runs"));
        List<Map<String, Double>> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            System.out.printf("%n== run %d of %d on %s%n", run, runs, db);
            results.add(new BenchmarkHarness().run(db, Integer.parseInt(options.get("--concurrency")),
                    Integer.parseInt(options.get("--requests")), Integer.parseInt(options.get("--e2e")),
                    Boolean.parseBoolean(options.get("--dispatch"))));
        }
        String table = table(db, runs, options, results);
        System.out.println(table);
        Files.createDirectories(Path.of("target", "bench"));
        Files.writeString(Path.of("target", "bench", "results-" + db + (Boolean.parseBoolean(options.get("--dispatch")) ? "" : "-intake-only")
                + ".md"), table);
        System.exit(0);
    }

    /** One run; with {@code dispatch} false the inbox is not processed, which isolates the cost of intake. */
    Map<String, Double> run(String db, int concurrency, int requests, int e2ePrescriptions, boolean dispatch) throws Exception {
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("disk fsync/s (64-byte write + force)", fsyncRate());
        Map<String, String> overrides = new HashMap<>(Map.of("honeybee.fill.policy", "auto", "honeybee.sandbox.step-ms", "3600000",
                "honeybee.inbox.poll-delay-ms", "20", "honeybee.outbox.poll-delay-ms", "20", "honeybee.demo.enabled", "false",
                "honeybee.inbox.dispatch-enabled", String.valueOf(dispatch)));
        String dbUrl = "jdbc:h2:file:" + Files.createTempDirectory("bench-h2").resolve("honeybee") + ";WRITE_DELAY=0";
        if (db.equals("postgres")) {
            dbUrl = PostgresDatabase.freshSchemaUrl();
            overrides.putAll(PostgresDatabase.credentials());
        }
        long startupStarted = System.nanoTime();
        try (RunningBundle bundle = RunningBundle.start(dbUrl, overrides)) {
            figures.put("startup to ready (ms)", (System.nanoTime() - startupStarted) / 1e6);
            bundle.context().addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // the bare baseline: same server, reads the body, answers 200, does nothing else
                    from("platform-http:/bench/baseline?httpMethodRestrict=POST").routeId("bench-baseline")
                            .convertBodyTo(byte[].class).setBody(constant("{\"status\":\"ok\"}"));
                }
            });
            String baselineUrl = "http://localhost:" + bundle.port() + "/bench/baseline";
            IntFunction<HttpRequest> toBundle = i -> signed(bundle.webhookUrl(), event("bench-" + sequence.incrementAndGet()));
            IntFunction<HttpRequest> toBaseline = i -> signed(baselineUrl, event("base-" + sequence.incrementAndGet()));

            // warm-up of both paths with a full pass each, so the JIT has compiled them before anything is measured
            closedLoop(toBundle, concurrency, requests);
            closedLoop(toBaseline, concurrency, requests);
            drain(bundle, dispatch);
            Latencies bundleSat = closedLoop(toBundle, concurrency, requests);
            Latencies baseSat = closedLoop(toBaseline, concurrency, requests);
            drain(bundle, dispatch);
            put(figures, "ack at saturation, c=" + concurrency, bundleSat);
            put(figures, "baseline at saturation, c=" + concurrency, baseSat);
            figures.put("ack throughput / baseline", bundleSat.throughput() / baseSat.throughput());
            for (double share : new double[] {0.25, 0.5, 0.75}) {
                double rate = bundleSat.throughput() * share;
                Latencies bundleOpen = openLoop(toBundle, rate, Duration.ofSeconds(6));
                Latencies baseOpen = openLoop(toBaseline, rate, Duration.ofSeconds(6));
                drain(bundle, dispatch);
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
            }
            lossAndDuplicates(bundle, figures, dispatch);
            figures.put("resident memory after run (MiB)", residentMiB());
        }
        return figures;
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
        SandboxHoneybee sandbox = bundle.bean("sandbox", SandboxHoneybee.class);
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

    /** Fixed concurrency, as fast as answers come: throughput and latency at saturation. */
    private Latencies closedLoop(IntFunction<HttpRequest> request, int concurrency, int total) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        Thread[] workers = new Thread[concurrency];
        long start = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            workers[w] = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < total) {
                    HttpRequest r = request.apply(i);
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<Void> response = http.send(r, HttpResponse.BodyHandlers.discarding());
                        latencies.add((System.nanoTime() - sent) / 1e6);
                        count(r, response.statusCode(), errors);
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            });
            workers[w].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return summarize(total / seconds, latencies, errors.get());
    }

    /** A fixed offered rate, whatever the answers do; latency counts from when each request was due. */
    private Latencies openLoop(IntFunction<HttpRequest> request, double rate, Duration length) throws Exception {
        int total = (int) (rate * length.toSeconds());
        long interval = (long) (1e9 / rate);
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            HttpRequest r = request.apply(i);
            CompletableFuture<HttpResponse<Void>> answer = http.sendAsync(r, HttpResponse.BodyHandlers.discarding());
            answer.whenComplete((response, failure) -> {
                latencies.add((System.nanoTime() - due) / 1e6);
                if (failure != null) {
                    errors.incrementAndGet();
                } else {
                    count(r, response.statusCode(), errors);
                }
                done.countDown();
            });
        }
        done.await(2, TimeUnit.MINUTES);
        return summarize(total / ((System.nanoTime() - start) / 1e9), latencies, errors.get());
    }

    private static void count(HttpRequest request, int status, AtomicInteger errors) {
        if (status != 200) {
            errors.incrementAndGet();
        } else if (!request.uri().getPath().startsWith("/bench")) {
            ACKED.incrementAndGet();
        }
    }

    private static Latencies summarize(double throughput, ConcurrentLinkedQueue<Double> latencies, int errors) {
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Latencies(throughput, percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99), errors);
    }

    private static void put(Map<String, Double> figures, String label, Latencies l) {
        figures.put(label + ": req/s", l.throughput());
        figures.put(label + ": p50 ms", l.p50());
        figures.put(label + ": p95 ms", l.p95());
        figures.put(label + ": p99 ms", l.p99());
        figures.put(label + ": errors", (double) l.errors());
    }

    /** A uniquely identified RX_UPDATED or SHIPMENT_UPDATED, about the size of the guide's samples. */
    private static byte[] event(String id) {
        boolean shipment = id.hashCode() % 2 == 0;
        String order = "B" + Math.abs(id.hashCode() % 5000);
        String body = shipment
                ? "{\"event_id\":\"" + id + "\",\"patient_id\":\"bench\",\"event_type\":\"SHIPMENT_UPDATED\",\"medication_requests\":[{\"medication_dispenses\":"
                        + "[{\"order_number\":\"" + order + "\",\"order_status\":\"Shipped\",\"shipment\":{\"tracking_no\":\"774899172137\",\"carrier\":\"FedEx\","
                        + "\"method\":\"FedEx Priority Overnight\",\"tracking_url\":\"https://www.fedex.com/fedextrack/?trknbr=774899172137\","
                        + "\"shipment_updates\":[{\"event_code\":\"IT\",\"description\":\"In Transit\",\"occurred_at\":\"2024-03-15T09:28:57.000-07:00\"}]}}]}]}"
                : "{\"event_id\":\"" + id + "\",\"patient_id\":\"bench\",\"event_type\":\"RX_UPDATED\",\"medication_requests\":[{\"id\":183601,"
                        + "\"drug_name\":\"ESTRADIOL 1MG TABLET\",\"ndc\":\"62135040012\",\"refills_left\":10,\"medication_dispenses\":[{\"order_number\":\""
                        + order + "\",\"order_status\":\"Filling\",\"order_date\":\"2024-03-14T13:17:54.906-07:00\",\"product_name\":\"Estradiol\","
                        + "\"strength\":\"1 mg\",\"form\":\"Tablet\",\"shipment\":null}]}]}";
        return body.getBytes(StandardCharsets.UTF_8);
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
                + ", " + options.get("--requests") + " requests per saturation pass)\n\n| figure | median | runs |\n|---|---|---|\n");
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
