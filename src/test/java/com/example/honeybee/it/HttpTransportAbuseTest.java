package com.example.honeybee.it;

import static com.example.honeybee.it.RawSockets.readUntilClosed;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.example.honeybee.webhook.SignatureVerifier;
import org.junit.jupiter.api.Test;

/**
 * What an attacker did to the HTTP server of the built jar, and what it gets now: slow-trickle uploads cannot
 * hold the connection cap (a request deadline, a cap per remote address), a request with both Content-Length and
 * Transfer-Encoding is refused and its connection closed, a malformed percent-escape is a 400 without a stack
 * trace in the log, and the ops page and API answers forbid framing and sniffing. Raw sockets speak HTTP/1.1 here,
 * so the test controls every byte sent.
 */
class HttpTransportAbuseTest {

    private static final String TOKEN = "transport-abuse-ops-token";

    /**
     * 60 chunked uploads from 127.0.0.2 that send one byte of body every 300 ms (each resets the idle timeout)
     * against a cap of 40 connections: a signed webhook from 127.0.0.1 still gets its 200 within 2 s, and an
     * upload that is still trickling is answered 408 and closed by the request deadline.
     */
    @Test
    void tricklingUploadsFromOneSourceCannotLockOutOtherCallers() throws Exception {
        Map<String, String> properties = quiet(Map.of("honeybee.http.max-connections", "40",
                "honeybee.http.max-connections-per-address", "10", "honeybee.http.request-timeout-seconds", "4",
                "honeybee.http.idle-timeout-seconds", "30"));
        try (RunningBundle bundle = RunningBundle.start(properties)) {
            // a first webhook, so that the measured one is not the bundle's first (class loading, a cold intake)
            assertThat(signedWebhook(bundle, "warm-" + System.nanoTime()).statusCode()).isEqualTo(200);
            InetAddress attacker = InetAddress.getByName("127.0.0.2");
            List<Socket> trickles = new ArrayList<>();
            try {
                for (int i = 0; i < 60; i++) {
                    trickles.add(chunkedUpload(bundle.port(), attacker));
                }
                long started = System.nanoTime();
                for (Socket socket : trickles) {
                    trickle(socket);
                }

                long asked = System.nanoTime();
                HttpResponse<String> answer = signedWebhook(bundle, "trickle-" + System.nanoTime());
                Duration took = Duration.ofNanos(System.nanoTime() - asked);
                assertThat(answer.statusCode()).as("a signed webhook while 60 uploads trickle").isEqualTo(200);
                assertThat(took).isLessThan(Duration.ofSeconds(2));

                // one admitted upload, kept trickling: answered 408 and closed once the deadline passes
                Socket admitted = trickles.stream().filter(HttpTransportAbuseTest::stillOpen).findFirst().orElseThrow();
                String received = trickleUntilAnswered(admitted, Duration.ofSeconds(10));
                Duration held = Duration.ofNanos(System.nanoTime() - started);
                assertThat(received).startsWith("HTTP/1.1 408").contains("honeybee.http.request-timeout-seconds");
                assertThat(held).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(9));
                new Figures("HttpTransportAbuseTest").put("trickling uploads", "60 from 127.0.0.2, cap 40, 10 per address")
                        .put("signed webhook", answer.statusCode() + " in " + took.toMillis() + " ms")
                        .put("trickle closed after (ms, deadline 4 s)", held.toMillis()).write();
            } finally {
                for (Socket socket : trickles) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aRequestWithContentLengthAndTransferEncodingIsRefusedAndItsConnectionClosed() throws Exception {
        try (RunningBundle bundle = RunningBundle.start(quiet(Map.of()));
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), bundle.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /webhooks/honeybee HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                    + "GET /observe/health/live HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String received = readUntilClosed(socket);
            assertThat(received).startsWith("HTTP/1.1 400").contains("both Content-Length and Transfer-Encoding");
            assertThat(received.split("HTTP/1.1 ", -1)).as("one answer on the connection, then it is closed").hasSize(2);
        }
    }

    @Test
    void aMalformedPercentEscapeIsA400WithoutAStackTraceInTheLog() throws Exception {
        try (RunningBundle bundle = RunningBundle.start(quiet(Map.of()));
             LogCapture log = LogCapture.attach()) {
            for (String target : List.of("/api/orders/%ZZ", "/webhooks/%", "/ops?x=%4")) {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), bundle.port())) {
                    socket.setSoTimeout(5_000);
                    socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    String received = readUntilClosed(socket);
                    assertThat(received).as(target).startsWith("HTTP/1.1 400").contains("malformed percent-escape");
                }
            }
            assertThat(bundle.get("/observe/health/live").statusCode()).isEqualTo(200);
            assertThat(log.text()).doesNotContain("Invalid escape sequence").doesNotContain("Unhandled exception");
        }
    }

    @Test
    void theOpsPageAndTheOpsApiForbidFramingAndSniffing() throws Exception {
        try (RunningBundle bundle = RunningBundle.start(quiet(Map.of("honeybee.ops.token", TOKEN)))) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://localhost:" + bundle.port();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/ops")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(base + "/api/orders"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(base + "/api/orders")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(api.statusCode()).isEqualTo(200);
            assertThat(refused.statusCode()).isEqualTo(401);
            for (HttpResponse<String> answer : List.of(page, api, refused)) {
                assertThat(answer.headers().firstValue("X-Frame-Options")).as(answer.uri().toString()).hasValue("DENY");
                assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(answer.uri().toString()).hasValue("nosniff");
                assertThat(answer.headers().firstValue("Content-Security-Policy")).as(answer.uri().toString()).hasValueSatisfying(policy ->
                        assertThat(policy).contains("frame-ancestors 'none'").doesNotContain("unsafe-inline"));
            }
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith("default-src 'self'")
                    .contains("script-src 'self' 'sha256-").contains("style-src 'self' 'sha256-");
        }
    }

    /** The bundle without its sandbox: nothing but the test opens connections to it. */
    private static Map<String, String> quiet(Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>(overrides);
        properties.put("honeybee.sandbox.enabled", "false");
        properties.put("honeybee.startup.verify-partner-api", "false");
        return properties;
    }

    private static HttpResponse<String> signedWebhook(RunningBundle bundle, String eventId) throws Exception {
        byte[] body = RunningBundle.payload("rx-received.json", eventId);
        HttpRequest request = HttpRequest.newBuilder(URI.create(bundle.webhookUrl())).timeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1).header("Content-Type", "application/json")
                .header("X-Honeybee-Signature", SignatureVerifier.sign(RunningBundle.SECRET, "POST", bundle.webhookUrl(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A chunked webhook POST from {@code source}: the head only, the body to come a byte at a time. */
    private static Socket chunkedUpload(int port, InetAddress source) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(source, 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
        socket.getOutputStream().write(("POST /webhooks/honeybee HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /** One chunk of one byte; a connection the server has closed may refuse it. */
    private static void trickle(Socket socket) {
        try {
            socket.getOutputStream().write("1\r\n \r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        } catch (IOException closed) {
            // refused by a cap: closed at once
        }
    }

    private static boolean stillOpen(Socket socket) {
        try {
            socket.setSoTimeout(50);
            return socket.getInputStream().read() >= 0;
        } catch (SocketTimeoutException open) {
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    /** Sends a one-byte chunk every 300 ms until the server answers or closes; what it sent. */
    private static String trickleUntilAnswered(Socket socket, Duration atMost) throws IOException {
        long deadline = System.nanoTime() + atMost.toNanos();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        socket.setSoTimeout(300);
        byte[] buffer = new byte[8192];
        while (System.nanoTime() < deadline) {
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                received.write(buffer, 0, n);
            } catch (SocketTimeoutException quiet) {
                if (received.size() > 0) {
                    break;
                }
                trickle(socket);
            } catch (IOException reset) {
                break;
            }
        }
        return received.toString(StandardCharsets.UTF_8);
    }
}
