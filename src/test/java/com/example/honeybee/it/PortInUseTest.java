package com.example.honeybee.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.example.honeybee.HoneybeeMain;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/**
 * A taken HTTP port stops the start at once (issue 15, item 3), with one message naming the port and its
 * property, and the bundle never talks to whatever holds the port. The port is held by a plain
 * {@link ServerSocket} of the test's, which also notices any connection the bundle makes to it.
 */
class PortInUseTest {

    @Test
    void inProcessTheStartFailsWithAMessageNamingThePortAndTheProperty() throws Exception {
        try (ServerSocket holder = new ServerSocket(0)) {
            int port = holder.getLocalPort();
            Main main = HoneybeeMain.create(null, bundleOn(port));
            try {
                assertThatThrownBy(main::start)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(":" + port)
                        .hasMessageContaining("honeybee.http.port")
                        .hasMessageContaining("HONEYBEE_HTTP_PORT");
            } finally {
                main.stop();
            }
            assertNobodyConnected(holder);
        }
    }

    @Test
    void theApplicationExitsWithStatus1AndOneLineSayingWhatToFix() throws Exception {
        Path log = Files.createDirectories(Path.of("target", "reliability")).resolve("port-in-use-" + System.nanoTime() + ".log");
        try (ServerSocket holder = new ServerSocket(0)) {
            int port = holder.getLocalPort();
            int exit = new BundleProcess(port, bundleOn(port), log).startExpectingExit(Duration.ofSeconds(60));

            assertThat(exit).isEqualTo(1);
            String output = Files.readString(log);
            assertThat(output).containsPattern("ERROR .*HoneybeeMain - not started: the HTTP server cannot listen on [0-9.]+:" + port
                    + " .*honeybee\\.http\\.port \\(env HONEYBEE_HTTP_PORT\\)");
            assertThat(output).doesNotContain("\tat ").doesNotContain("Exception in thread").doesNotContain("ready (profile");
            assertNobodyConnected(holder);
        }
    }

    /** A bundle whose Partner API is the embedded sandbox on the same port: a bundle that ran on would call the holder. */
    private static Map<String, String> bundleOn(int port) {
        Map<String, String> properties = new HashMap<>();
        properties.put("honeybee.http.port", String.valueOf(port));
        properties.put("honeybee.db.url", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        properties.put("honeybee.webhook.signing-secrets", RunningBundle.SECRET);
        properties.put("honeybee.sandbox.enabled", "true");
        properties.put("honeybee.oauth.client-id", "test-client");
        properties.put("honeybee.oauth.client-secret", "test-client-secret");
        return properties;
    }

    private static void assertNobodyConnected(ServerSocket holder) throws Exception {
        holder.setSoTimeout(500);
        assertThatThrownBy(() -> holder.accept().close()).as("a connection to the port's holder").isInstanceOf(SocketTimeoutException.class);
    }
}
