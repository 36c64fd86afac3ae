package com.example.honeybee.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.example.honeybee.HoneybeeMain;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/**
 * The embedded sandbox signs webhooks with the bundle's secret and its Test Prescription endpoint needs no
 * token (issue 12, item 8): it answers only callers on this machine, and the profiles that switch it on
 * listen on the loopback interface. A caller from another machine is played by this machine's own
 * non-loopback address (the connection's source is then that address, not 127.0.0.1).
 */
class SandboxExposureTest {

    private static final String TEST_PRESCRIPTION = "{\"first_name\":\"Ada\",\"last_name\":\"Sample\",\"dob\":\"1980-01-01\",\"ndc\":\"67877032105\"}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void theSandboxRefusesCallersFromOtherAddresses() throws Exception {
        InetAddress external = nonLoopbackAddress();
        try (RunningBundle bundle = RunningBundle.start(Map.of())) {
            HttpResponse<String> remote = postTestPrescription(external.getHostAddress(), bundle.port());
            assertThat(remote.statusCode()).isEqualTo(403);
            assertThat(remote.body()).contains("only callers on this machine");
            assertThat(postTestPrescription("127.0.0.1", bundle.port()).statusCode()).isBetween(200, 201);
            // the sandbox's other endpoints too, the OAuth token among them
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create("http://" + external.getHostAddress() + ":" + bundle.port()
                            + "/sandbox/oauth/token")).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=test-client&client_secret=test-client-secret"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(token.statusCode()).isEqualTo(403);
        }
    }

    @Test
    void theDemoProfileListensOnTheLoopbackInterfaceOnly() throws Exception {
        InetAddress external = nonLoopbackAddress();
        int port = MultiInstanceTest.freePort();
        Map<String, String> overrides = new HashMap<>();
        overrides.put("honeybee.http.port", String.valueOf(port));
        overrides.put("honeybee.db.url", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        overrides.put("honeybee.demo.enabled", "false");
        Main main = HoneybeeMain.create("demo", overrides);
        main.start();
        try {
            HttpResponse<String> local = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(local.statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> postTestPrescription(external.getHostAddress(), port)).isInstanceOf(ConnectException.class);
        } finally {
            main.stop();
        }
    }

    private HttpResponse<String> postTestPrescription(String host, int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/sandbox/test_prescriptions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(TEST_PRESCRIPTION)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** An IPv4 address of this machine that is not a loopback one; the test is skipped on a machine without one. */
    private static InetAddress nonLoopbackAddress() throws Exception {
        Optional<InetAddress> address = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(network -> {
                    try {
                        return network.isUp() && !network.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(network -> Collections.list(network.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
        assumeTrue(address.isPresent(), "this machine has no non-loopback IPv4 address to call from");
        return address.get();
    }
}
