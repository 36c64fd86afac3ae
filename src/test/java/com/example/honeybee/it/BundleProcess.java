package com.example.honeybee.it;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bundle as a separate JVM, as it runs in production: started with -D properties, ready when
 * /observe/health/ready answers 200, killed with SIGKILL (destroyForcibly) or stopped with SIGTERM.
 */
final class BundleProcess {

    private final Map<String, String> properties;
    private final int port;
    private final Path log;
    private final String maxHeap;
    private Process process;

    BundleProcess(int port, Map<String, String> properties, Path log) {
        this(port, properties, log, "512m");
    }

    /** @param maxHeap the JVM's -Xmx, e.g. 256m */
    BundleProcess(int port, Map<String, String> properties, Path log, String maxHeap) {
        this.port = port;
        this.properties = properties;
        this.log = log;
        this.maxHeap = maxHeap;
    }

    BundleProcess start() throws IOException {
        launch();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("bundle process exited with " + process.exitValue() + "; see " + log);
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/observe/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    /** Starts a process whose start must fail, and waits for it to end by itself: its exit code, or -1 if it did not end in time. */
    int startExpectingExit(Duration timeout) throws IOException, InterruptedException {
        launch();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            return -1;
        }
        return process.exitValue();
    }

    private void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-cp", classpath()));
        command.add("-Dhoneybee.http.port=" + port);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("com.example.honeybee.HoneybeeMain");
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /**
     * The properties of a bundle process on the given database whose Honeybee is the sandbox of
     * {@code honeybee}: its API and token URLs, its credentials, the signing secret, auto fills and
     * short polls, so a test sees results quickly.
     */
    static Map<String, String> clientOf(RunningBundle honeybee, String dbUrl, Map<String, String> credentials) {
        Map<String, String> properties = new java.util.HashMap<>(credentials);
        properties.put("honeybee.db.url", dbUrl);
        properties.put("honeybee.webhook.signing-secrets", RunningBundle.SECRET);
        properties.put("honeybee.api.url", "http://localhost:" + honeybee.port() + "/sandbox/v1");
        properties.put("honeybee.oauth.token-url", "http://localhost:" + honeybee.port() + "/sandbox/oauth/token");
        properties.put("honeybee.oauth.client-id", "test-client");
        properties.put("honeybee.oauth.client-secret", "test-client-secret");
        properties.put("honeybee.fill.policy", "auto");
        properties.put("honeybee.inbox.poll-delay-ms", "50");
        properties.put("honeybee.outbox.poll-delay-ms", "50");
        properties.put("honeybee.outbox.retry-base-ms", "100");
        return properties;
    }

    /** SIGKILL: no shutdown hook, no flush, as a crash or an OOM kill. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: a graceful stop. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    int port() {
        return port;
    }

    String webhookUrl() {
        return "http://localhost:" + port + "/webhooks/honeybee";
    }

    /**
     * Surefire runs tests from a manifest-only jar; the real classpath is in surefire.test.class.path.
     * Empty entries are dropped: Java reads one as the working directory, whose routes/ folder would
     * then be loaded beside the copy in target/classes.
     */
    static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        String raw = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path", "");
        return java.util.Arrays.stream(raw.split(File.pathSeparator)).filter(entry -> !entry.isBlank())
                .collect(java.util.stream.Collectors.joining(File.pathSeparator));
    }
}
