package com.example.honeybee.it;

import static com.example.honeybee.it.RawSockets.readUntilClosed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.example.honeybee.webhook.SignatureVerifier;
import org.junit.jupiter.api.Test;

/**
 * The HTTP server's own limits, before any authentication (issue 12, item 4): no body over
 * honeybee.webhook.max-bytes is buffered, a connection that stops sending is closed after the idle timeout,
 * connections over the cap are closed at once, and a bundle with a small heap keeps answering Honeybee
 * while hundreds of uploads stall. Raw sockets speak HTTP/1.1 here, so the test controls every byte sent.
 */
class HttpServerLimitsTest {

    private static final int MAX_BYTES = 1_048_576;

    @Test
    void aBodyOverTheLimitIsRefusedFromItsContentLengthBeforeItIsSent() throws Exception {
        try (RunningBundle bundle = RunningBundle.start(quiet(Map.of()));
             Socket socket = upload(bundle.port(), 7_500_000, 0)) {
            // answered at once, though not one byte of the body was sent
            socket.setSoTimeout(2_000);
            String answer = readResponse(socket);
            assertThat(answer).startsWith("HTTP/1.1 413");
            assertThat(answer).contains("\"status\":\"rejected\"").contains("the limit is " + MAX_BYTES + " bytes");
        }
    }

    @Test
    void aStalledUploadIsClosedAfterTheIdleTimeout() throws Exception {
        try (RunningBundle bundle = RunningBundle.start(quiet(Map.of("honeybee.http.idle-timeout-seconds", "1")));
             Socket socket = upload(bundle.port(), 10_000, 5_000)) {
            long start = System.nanoTime();
            socket.setSoTimeout(6_000);
            assertThat(readUntilClosed(socket)).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(5));
        }
    }

    @Test
    void connectionsOverTheCapAreClosedAtOnceAndAcceptedAgainWhenOthersClose() throws Exception {
        try (RunningBundle bundle = RunningBundle.start(quiet(Map.of("honeybee.http.max-connections", "5")))) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    held.add(upload(bundle.port(), 10_000, 100));
                }
                try (Socket over = get(bundle.port(), "/observe/health/live")) {
                    over.setSoTimeout(2_000);
                    assertThat(readUntilClosed(over)).as("the sixth connection is closed unanswered").isEmpty();
                }
                held.remove(0).close();
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                    try (Socket again = get(bundle.port(), "/observe/health/live")) {
                        again.setSoTimeout(2_000);
                        assertThat(readStatusLine(again)).startsWith("HTTP/1.1 200");
                    }
                });
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    /**
     * The attack the issue measured, scaled up: 100 uploads declaring 7.5 MB bodies that never send their last
     * byte (the old server buffered each whole), and 100 uploads within the limit that stall after 64 KiB. With
     * a 256 MiB heap the bundle stays up and a signed webhook still gets its 200 within 2 s.
     */
    @Test
    void aBundleWithA256MiBHeapAnswersHoneybeeWhile200UploadsStall() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "reliability"));
        int port = MultiInstanceTest.freePort();
        Map<String, String> properties = new HashMap<>();
        properties.put("honeybee.db.url", "jdbc:h2:mem:stalled;DB_CLOSE_DELAY=-1");
        properties.put("honeybee.webhook.signing-secrets", RunningBundle.SECRET);
        properties.put("honeybee.startup.verify-partner-api", "false");
        properties.put("honeybee.sandbox.enabled", "false");
        // the memory bound with every upload held open, all from this machine: no per-address cap, no request deadline
        properties.put("honeybee.http.max-connections-per-address", "0");
        properties.put("honeybee.http.request-timeout-seconds", "0");
        BundleProcess bundle = new BundleProcess(port, properties, dir.resolve("stalled-uploads.log"), "256m").start();
        ExecutorService senders = Executors.newFixedThreadPool(100, runnable -> {
            Thread thread = new Thread(runnable, "stalled-upload");
            thread.setDaemon(true);
            return thread;
        });
        List<Socket> stalled = new ArrayList<>();
        try {
            List<Future<?>> oversized = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Socket socket = upload(port, 7_500_000, 0);
                stalled.add(socket);
                oversized.add(senders.submit(() -> sendAllButTheLastByte(socket, 7_500_000)));
            }
            for (int i = 0; i < 100; i++) {
                stalled.add(upload(port, MAX_BYTES, 64 * 1024));
            }
            // every oversized sender has had its body read (and dropped) or been cut off by the server
            for (Future<?> sender : oversized) {
                try {
                    sender.get(120, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError("the bundle stopped reading the uploads (out of memory? see " + dir.resolve("stalled-uploads.log") + ")", e);
                }
            }

            // the oversized bodies' bytes are in flight still (the server reads and drops them): the measurement
            // starts once a health check answers promptly, with every upload still open
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                long asked = System.nanoTime();
                http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/observe/health/live")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return Duration.ofNanos(System.nanoTime() - asked).toMillis() < 200;
            });

            byte[] body = RunningBundle.payload("rx-received.json", "stalled-" + System.nanoTime());
            String url = "http://localhost:" + port + "/webhooks/honeybee";
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
                    .header("Content-Type", "application/json")
                    .header("X-Honeybee-Signature", SignatureVerifier.sign(RunningBundle.SECRET, "POST", url, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            long start = System.nanoTime();
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(took).isLessThan(Duration.ofSeconds(2));
            assertThat(bundle.isAlive()).isTrue();
            long heap = heapUsedBytes(port);
            assertThat(heap).isLessThan(256L * 1024 * 1024);
            new Figures("HttpServerLimitsTest").put("stalled uploads", "100 declaring 7.5 MB (refused from Content-Length), 100 within the "
                    + "limit holding 64 KiB each").put("signed webhook", answer.statusCode() + " in " + took.toMillis() + " ms")
                    .put("heap used (MiB, -Xmx256m)", heap / (1024 * 1024)).write();
        } finally {
            senders.shutdownNow();
            for (Socket socket : stalled) {
                socket.close();
            }
            bundle.stop();
        }
    }

    /** The bundle without its sandbox: nothing but the test opens connections to it. */
    private static Map<String, String> quiet(Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>(overrides);
        properties.put("honeybee.sandbox.enabled", "false");
        properties.put("honeybee.startup.verify-partner-api", "false");
        return properties;
    }

    /** A webhook POST declaring {@code contentLength} bytes, of which {@code sent} are sent; the socket stays open. */
    private static Socket upload(int port, long contentLength, int sent) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /webhooks/honeybee HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[sent]);
        out.flush();
        return socket;
    }

    private static Socket get(int port, String path) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** Writes the rest of a declared body but its last byte; a server that refuses it closes the connection, ending the writes. */
    private static void sendAllButTheLastByte(Socket socket, int contentLength) {
        byte[] chunk = new byte[64 * 1024];
        try {
            OutputStream out = socket.getOutputStream();
            for (int left = contentLength - 1; left > 0; left -= chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, left));
            }
            out.flush();
        } catch (IOException refused) {
            // the server closed the connection: the upload is over
        }
    }

    /** One HTTP/1.1 response: status line, headers and the Content-Length body. */
    private static String readResponse(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
        return head + new String(body, StandardCharsets.UTF_8);
    }

    private static String readStatusLine(Socket socket) throws IOException {
        StringBuilder line = new StringBuilder();
        InputStream in = socket.getInputStream();
        for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString();
    }

    /** The JVM heap in use, from the bundle's Prometheus metrics. */
    private static long heapUsedBytes(int port) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/observe/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher heap = Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.eE+]+)$").matcher(metrics);
        double total = 0;
        boolean found = false;
        while (heap.find()) {
            total += Double.parseDouble(heap.group(1));
            found = true;
        }
        assertThat(found).as("jvm_memory_used_bytes{area=heap} in /observe/metrics").isTrue();
        return (long) total;
    }
}
