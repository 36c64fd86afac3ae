package com.example.honeybee.it;

import static com.example.honeybee.it.Lifecycle.HONEE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.example.honeybee.HoneybeeDefaults;
import com.example.honeybee.orders.FillStatus;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Settings are read one way: each enumerated setting once, in Java, in any case; an invalid value stops the
 * start with a message naming the property and the values it takes.
 */
class SettingsTest extends SandboxBundleTestSupport {

    @ParameterizedTest
    @ValueSource(strings = {"order", "ORDER", "Order"})
    void refillPolicyOrderPlacesTheRefillInAnyCase(String policy) {
        start(Map.of("honeybee.refill.policy", policy, "honeybee.refill.interval-days", "0", "honeybee.refill.lead-days", "0"));
        life.partnerPatient(HONEE);
        long rx = life.prescribe(HONEE, true, 3, null);
        life.requestFill(rx);
        life.awaitOrderStatus(life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber(), "Delivered");

        bundle.context().createProducerTemplate().requestBody("direct:honeybee-refill-schedule", (Object) null);

        assertThat(life.awaitFill(rx, 2, FillStatus.PLACED).requestedBy()).isEqualTo("refill-schedule");
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM refill_reminder")).as("an order, not a reminder").isZero();
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of("honeybee.refill.policy", "sometimes", "honeybee.refill.policy must be one of reminder, order; was 'sometimes'"),
                Arguments.of("honeybee.fill.policy", "manual", "honeybee.fill.policy must be one of approval, auto; was 'manual'"),
                Arguments.of("honeybee.webhook.auth", "hmac", "honeybee.webhook.auth must be one of signature, secret, either, both; was 'hmac'"),
                Arguments.of("honeybee.db.pool-size", "1", "honeybee.db.pool-size must be at least 2"),
                Arguments.of("honeybee.db.pool-size", "many", "honeybee.db.pool-size must be a whole number"),
                Arguments.of("honeybee.db.pool-size", "2", "honeybee.db.pool-size must be at least honeybee.inbox.dispatcher-threads + 1 = 3"),
                Arguments.of("honeybee.inbox.dispatcher-threads", "0", "honeybee.inbox.dispatcher-threads must be a whole number of at least 1; was '0'"),
                Arguments.of("honeybee.outbox.retry-window", "soon",
                        "honeybee.outbox.retry-window must be a positive duration such as 24h, 30m, 20s or PT24H; was 'soon'"),
                Arguments.of("honeybee.outbox.retry-window", "0s", "honeybee.outbox.retry-window must be a positive duration"));
    }

    @ParameterizedTest
    @MethodSource("invalidValues")
    void anInvalidValueStopsTheStartNamingThePropertyAndWhatItTakes(String property, String value, String message) {
        assertRefused(() -> start(Map.of(property, value)), message);
    }

    /** Every honeybee.* switch (a setting whose default is true or false), generated from the bundle's defaults. */
    static Stream<String> switches() {
        Properties defaults = HoneybeeDefaults.load();
        Pattern bool = Pattern.compile("(true|false)|\\{\\{env:[A-Z_]+:(true|false)}}");
        List<String> keys = defaults.stringPropertyNames().stream().filter(k -> bool.matcher(defaults.getProperty(k).trim()).matches())
                .sorted().toList();
        assertThat(keys).as("the defaults declare switches").contains("honeybee.outbox.enabled", "honeybee.sandbox.enabled");
        return keys.stream();
    }

    @ParameterizedTest
    @MethodSource("switches")
    void aSwitchThatIsNeitherTrueNorFalseStopsTheStart(String property) {
        assertRefused(() -> start(Map.of(property, "yes")), property + " must be true or false; was 'yes'");
    }

    private static void assertRefused(ThrowableAssert.ThrowingCallable start, String message) {
        assertThatThrownBy(start).satisfies(e -> {
            StringBuilder chain = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                chain.append(t.getMessage()).append('\n');
            }
            assertThat(chain.toString()).contains(message);
        });
    }
}
