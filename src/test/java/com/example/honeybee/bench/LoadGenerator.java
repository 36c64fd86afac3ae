package com.example.honeybee.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The benchmark's HTTP load: a Vert.x client on an event loop of its own, HTTP/1.1 with keep-alive, as
 * Honeybee's webhook sender would use. It replaced java.net.http, which on this two-core machine
 * started a thread per request (CompletableFuture falls back to a thread per task when the common pool
 * has one thread) and so spent more CPU than the server it was measuring.
 *
 * <p>All state of a pass lives on the client's single event-loop thread, so it needs no locking.
 */
final class LoadGenerator implements AutoCloseable {

    /** One request to send: where, the exact body bytes, the signature header (null for none) and other headers. */
    record Request(String path, byte[] body, String signature, java.util.Map<String, String> headers) {
    }

    /**
     * A pass's figures; {@code cpuMicrosPerRequest} is this JVM's CPU time (server and generator) per answer;
     * {@code deferred}: 503 answers with Retry-After (admission control), each sent again after that wait, as
     * Honeybee would deliver a refused event again; the request's latency runs on until its final answer.
     */
    record Result(double throughput, double p50, double p95, double p99, int sent, int errors, double cpuMicrosPerRequest, double machineBusy,
                  int deferred) {
    }

    /** The most times one request is sent again after a 503 before it counts as an error. */
    private static final int MAX_DEFERRALS = 1000;

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    private final HttpClient client;

    /** The id of the client's event-loop thread, so CPU accounting can tell it from the server's. */
    long eventLoopThreadId() throws Exception {
        CompletableFuture<Long> id = new CompletableFuture<>();
        vertx.runOnContext(v -> id.complete(Thread.currentThread().getId()));
        return id.get(10, TimeUnit.SECONDS);
    }

    LoadGenerator(int port, int maxConnections) {
        client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("localhost").setDefaultPort(port)
                .setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(true).setConnectTimeout(5_000),
                new PoolOptions().setHttp1MaxSize(maxConnections).setMaxWaitQueueSize(-1));
    }

    /** Closed loop: {@code concurrency} requests always in flight for {@code seconds}; throughput at saturation. */
    Result closedLoop(LongFunction<Request> requests, int concurrency, double seconds) throws Exception {
        return closedLoop(requests, concurrency, seconds, 0);
    }

    /** Closed loop that also stops after {@code count} requests when {@code count} is positive. */
    Result closedLoop(LongFunction<Request> requests, int concurrency, double seconds, long count) throws Exception {
        Pass pass = new Pass(requests, (long) (seconds * 1e9));
        pass.limit = count > 0 ? count : Long.MAX_VALUE;
        vertx.runOnContext(v -> {
            for (int i = 0; i < concurrency; i++) {
                pass.sendClosed();
            }
        });
        return pass.result();
    }

    /**
     * Open loop: a request falls due every {@code 1/rate} seconds whatever the answers do, and its latency
     * counts from when it was due, so a slow server cannot slow the load down and hide its queueing.
     */
    Result openLoop(LongFunction<Request> requests, double rate, double seconds) throws Exception {
        Pass pass = new Pass(requests, (long) (seconds * 1e9));
        long interval = (long) (1e9 / rate);
        vertx.runOnContext(v -> vertx.setPeriodic(1, timer -> {
            long now = System.nanoTime();
            while (pass.start + pass.issued * interval <= now) {
                long due = pass.start + pass.issued * interval;
                if (due - pass.start >= pass.length) {
                    vertx.cancelTimer(timer);
                    pass.closeIssuing();
                    return;
                }
                pass.send(due, null);
            }
        }));
        return pass.result();
    }

    /** One measured pass; touched only from the event loop. */
    private final class Pass {
        final LongFunction<Request> requests;
        final long start = System.nanoTime();
        final long cpuAtStart = PROCESS.getProcessCpuTime();
        final long[] machineAtStart = machineTicks();
        final long length;
        final List<Long> latencies = new ArrayList<>();
        final CompletableFuture<Result> done = new CompletableFuture<>();
        long issued;
        long limit = Long.MAX_VALUE;
        int answered;
        int errors;
        int deferred;
        boolean issuing = true;
        long lastAnswer;

        Pass(LongFunction<Request> requests, long length) {
            this.requests = requests;
            this.length = length;
        }

        void sendClosed() {
            if (System.nanoTime() - start >= length || issued >= limit) {
                closeIssuing();
                return;
            }
            send(System.nanoTime(), this::sendClosed);
        }

        void send(long due, Runnable next) {
            send(requests.apply(issued++), due, next, 0);
        }

        void send(Request request, long due, Runnable next, int deferrals) {
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(request.path())
                    .putHeader("Content-Type", "application/json").setTimeout(30_000);
            if (request.signature() != null) {
                options.putHeader("X-Honeybee-Signature", request.signature());
            }
            request.headers().forEach(options::putHeader);
            client.request(options)
                    .compose(r -> r.send(Buffer.buffer(request.body())).compose(response -> response.body().map(b -> {
                        String retryAfter = response.getHeader("Retry-After");
                        return response.statusCode() == 503 && retryAfter != null ? -Integer.parseInt(retryAfter.trim()) : response.statusCode();
                    })))
                    .onComplete(answer -> {
                        if (answer.succeeded() && answer.result() <= 0 && deferrals < MAX_DEFERRALS) {
                            // 503 with Retry-After: the same event again after the wait, as its sender would
                            deferred++;
                            vertx.setTimer(Math.max(1, -answer.result()) * 1000L, timer -> send(request, due, next, deferrals + 1));
                            return;
                        }
                        lastAnswer = System.nanoTime();
                        latencies.add(lastAnswer - due);
                        answered++;
                        if (answer.failed() || answer.result() != 200) {
                            errors++;
                        }
                        if (next != null) {
                            next.run();
                        }
                        finishIfDone();
                    });
        }

        void closeIssuing() {
            issuing = false;
            finishIfDone();
        }

        void finishIfDone() {
            if (issuing || answered < issued || done.isDone()) {
                return;
            }
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            double seconds = (lastAnswer - start) / 1e9;
            double cpuMicros = (PROCESS.getProcessCpuTime() - cpuAtStart) / 1e3 / Math.max(1, answered);
            long[] machine = machineTicks();
            double busy = 1 - (double) (machine[1] - machineAtStart[1]) / Math.max(1, machine[0] - machineAtStart[0]);
            done.complete(new Result(answered / seconds, millis(sorted, 50), millis(sorted, 95), millis(sorted, 99), answered, errors,
                    cpuMicros, busy, deferred));
        }

        Result result() throws Exception {
            // the pass's length plus the requests' own 30 s timeout, Retry-After waits and a margin
            return done.get(length / 1_000_000_000L + 600, TimeUnit.SECONDS);
        }
    }

    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** All CPU ticks of the machine and the idle ones (including I/O wait), from /proc/stat. */
    private static long[] machineTicks() {
        try {
            String[] cpu = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < cpu.length; i++) {
                total += Long.parseLong(cpu[i]);
            }
            return new long[] {total, Long.parseLong(cpu[4]) + Long.parseLong(cpu[5])};
        } catch (java.io.IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    private static double millis(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    @Override
    public void close() {
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
