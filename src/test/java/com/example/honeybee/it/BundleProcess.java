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
    private Process process;

    BundleProcess(int port, Map<String, String> properties, Path log) {
        this.port = port;
        this.properties = properties;
        this.log = log;
    }

    BundleProcess start() throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", classpath()));
        command.add("-Dhoneybee.http.port=" + port);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("com.example.honeybee.HoneybeeMain");
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
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
    private static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        String raw = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path", "");
        return java.util.Arrays.stream(raw.split(File.pathSeparator)).filter(entry -> !entry.isBlank())
                .collect(java.util.stream.Collectors.joining(File.pathSeparator));
    }
}
