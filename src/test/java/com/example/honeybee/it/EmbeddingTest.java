package com.example.honeybee.it;

import static com.example.honeybee.it.RunningBundle.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import com.example.honeybee.HoneybeeBundle;
import com.example.honeybee.db.Sql;
import com.example.honeybee.webhook.SignatureVerifier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bundle loaded into a plain CamelContext that this test creates and owns, as an ESB with its own
 * HTTP stack would: events come in through direct:honeybee-webhook with the raw body and headers.
 */
class EmbeddingTest {

    private static final String PUBLIC_URL = "https://esb.partner.example/inbound/honeybee";

    private CamelContext esb;

    @BeforeEach
    void startEsb() throws Exception {
        esb = esb(Map.of());
    }

    private static CamelContext esb(Map<String, String> settings) throws Exception {
        CamelContext esb = new DefaultCamelContext();
        Properties overrides = new Properties();
        overrides.put("honeybee.db.url", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        overrides.put("honeybee.webhook.signing-secrets", RunningBundle.SECRET);
        overrides.put("honeybee.webhook.public-url", PUBLIC_URL);
        // the ESB owns HTTP: the bundle's own consumer is pointed at an endpoint nobody calls
        overrides.put("honeybee.webhook.consumer-uri", "direct:unused-bundle-http");
        overrides.put("honeybee.inbox.poll-delay-ms", "50");
        overrides.putAll(settings);
        esb.getPropertiesComponent().setOverrideProperties(overrides);
        HoneybeeBundle.install(esb);
        esb.start();
        return esb;
    }

    @AfterEach
    void stopEsb() {
        esb.stop();
    }

    @Test
    void eventSentToTheDirectEndpointIsAcknowledgedStoredAndProcessed() {
        byte[] body = payload("rx-received.json");
        String signature = SignatureVerifier.sign(RunningBundle.SECRET, "POST", PUBLIC_URL, body);

        Exchange reply = esb.createProducerTemplate().request("direct:honeybee-webhook", exchange -> {
            exchange.getMessage().setBody(body);
            // the ESB's HTTP layer may hand the header over with Honeybee's trailing newline
            exchange.getMessage().setHeaders(Map.of("Content-Type", "application/json", "X-Honeybee-Signature", signature + "\n"));
        });

        assertThat(reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isNull();
        assertThat(reply.getMessage().getBody(String.class)).contains("\"accepted\"");
        Sql sql = esb.getRegistry().lookupByNameAndType("honeybeeSql", Sql.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> sql.count(
                "SELECT COUNT(*) FROM prescription WHERE prescription_id = 183601 AND refills_left = 11") == 1);
        assertThat(sql.queryOne("SELECT status FROM inbox", row -> row.getString(1))).contains("PROCESSED");
    }

    @Test
    void theSourceAllowlistReadsTheAddressTheEsbPutsInTheExchangeProperty() throws Exception {
        esb.stop();
        esb = esb(Map.of("honeybee.webhook.allow-cidrs", "198.51.100.0/24"));
        byte[] body = payload("rx-received.json");
        String signature = SignatureVerifier.sign(RunningBundle.SECRET, "POST", PUBLIC_URL, body);
        var template = esb.createProducerTemplate();

        // a header of that name, as an ESB's HTTP layer might copy it from the request, proves nothing
        Exchange claimed = template.request("direct:honeybee-webhook", exchange -> {
            exchange.getMessage().setBody(body);
            exchange.getMessage().setHeaders(Map.of("Content-Type", "application/json", "X-Honeybee-Signature", signature,
                    "HoneybeeRemoteAddress", "198.51.100.7"));
        });
        assertThat(claimed.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(403);

        // the ESB's own server saw the connection come from 198.51.100.7 and says so in the property
        Exchange fromItsConnection = template.request("direct:honeybee-webhook", exchange -> {
            exchange.setProperty("HoneybeeRemoteAddress", "198.51.100.7");
            exchange.getMessage().setBody(body);
            exchange.getMessage().setHeaders(Map.of("Content-Type", "application/json", "X-Honeybee-Signature", signature));
        });
        assertThat(fromItsConnection.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isNull();
        assertThat(fromItsConnection.getMessage().getBody(String.class)).contains("\"accepted\"");
    }

    @Test
    void refusalsReachTheEsbAsAStatusCodeAndMessage() {
        Exchange reply = esb.createProducerTemplate().request("direct:honeybee-webhook", exchange -> {
            exchange.getMessage().setBody(payload("rx-received.json"));
            exchange.getMessage().setHeader("Content-Type", "application/json");
        });

        assertThat(reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(401);
        assertThat(reply.getMessage().getBody(String.class)).contains("missing X-Honeybee-Signature");
    }
}
