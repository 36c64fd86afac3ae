package com.example.honeybee.routes;

import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.example.honeybee.HoneybeeBundle;
import com.example.honeybee.db.Sql;
import com.example.honeybee.webhook.SignatureVerifier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;

/**
 * camel-test-junit5 for the bundle's own route files: a context per test with the core flows loaded by
 * {@link HoneybeeBundle#install}, a fresh in-memory H2 database, no HTTP server and no schedules but
 * the inbox dispatcher. The context is not started until the test has advised its routes
 * ({@code AdviceWith}) and calls {@link #startBundle()}; events come in through
 * {@code direct:honeybee-webhook}, signed as Honeybee signs them.
 */
abstract class BundleRouteTestSupport extends CamelTestSupport {

    static final String SECRET = "route-test-secret";
    static final String PUBLIC_URL = "https://partner.example/webhooks/honeybee";

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        configuration.withUseAdviceWith(true).withUseRouteBuilder(false);
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        Properties properties = new Properties();
        properties.put("honeybee.db.url", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        properties.put("honeybee.webhook.signing-secrets", SECRET);
        properties.put("honeybee.webhook.public-url", PUBLIC_URL);
        // nobody calls the bundle's own HTTP consumer: the tests feed direct:honeybee-webhook as an ESB would
        properties.put("honeybee.webhook.consumer-uri", "direct:honeybee-route-test-unused");
        properties.put("honeybee.inbox.poll-delay-ms", "20");
        properties.put("honeybee.startup.verify-partner-api", "false");
        properties.put("honeybee.outbox.enabled", "false");
        properties.put("honeybee.refill.enabled", "false");
        properties.put("honeybee.inbox.purge-enabled", "false");
        properties.putAll(settings());
        configuration.withUseOverridePropertiesWithPropertiesComponent(properties);
        super.configureContext(configuration);
    }

    /** Settings a test class changes, on top of the ones above. */
    protected Map<String, String> settings() {
        return Map.of();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        HoneybeeBundle.install(context);
        return context;
    }

    /** Starts the context once the test's advice is in place. */
    protected void startBundle() {
        context.start();
    }

    protected Sql sql() {
        return context.getRegistry().lookupByNameAndType("honeybeeSql", Sql.class);
    }

    /** Delivers a webhook body as Honeybee does (signed for {@link #PUBLIC_URL}); returns the intake's answer. */
    protected Exchange deliver(String body) {
        return deliver(body, SignatureVerifier.sign(SECRET, "POST", PUBLIC_URL, body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    protected Exchange deliver(String body, String signature) {
        return template.request("direct:honeybee-webhook", exchange -> {
            exchange.getMessage().setBody(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            exchange.getMessage().setHeader("Content-Type", "application/json");
            exchange.getMessage().setHeader("X-Honeybee-Signature", signature);
        });
    }

    /** A webhook body: {@code event_type} and {@code patient_id} over a fresh event_id, built by hand. */
    static String event(String eventType, String patientId, String rest) {
        return "{\"event_id\":\"" + UUID.randomUUID() + "\",\"event_type\":\"" + eventType + "\",\"patient_id\":\""
                + patientId + "\"" + (rest.isEmpty() ? "" : "," + rest) + "}";
    }
}
