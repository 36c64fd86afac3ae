package com.example.honeybee;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.example.honeybee.orders.FillRequests;
import com.example.honeybee.orders.OrderDefaults;
import com.example.honeybee.refill.RefillSchedule;
import com.example.honeybee.webhook.WebhookAuthenticator;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;

/**
 * The bundle's enumerated settings (and the outbox's retry window), each read once from its text, in any case, when the bundle is
 * configured (before any route starts), and bound as the bean {@value #BEAN} for the beans and routes that
 * depend on them: no route or bean compares the raw property text. An invalid value stops the start with a
 * message naming the property and the values it takes. Checked at the same moment, because their readers
 * would otherwise misread them silently or only at first use (the beans are lazy): every {@code honeybee.*}
 * switch (a setting whose default is true or false) must be true or false, any case; and
 * {@code honeybee.db.pool-size} must be at least 2 and at least {@code honeybee.inbox.dispatcher-threads} + 1 (each
 * dispatcher thread holds a connection for its batch's transaction while intake must still be able to store a webhook).
 *
 * @param webhookAuth       honeybee.webhook.auth: signature, secret, either, both
 * @param fillPolicy        honeybee.fill.policy: approval, auto
 * @param refillPolicy      honeybee.refill.policy: reminder, order
 * @param outboxRetryWindow honeybee.outbox.retry-window: a positive duration ({@code 24h}, {@code 30m}, {@code PT24H})
 * @param orderDefaults     honeybee.order.default-quantity, default-package-size, default-add-ons (or the older add-on-skus):
 *                          what a fill orders when its request leaves it out ({@link OrderDefaults})
 * @param reconcileStaleAfter honeybee.reconcile.stale-after: a positive duration; an open order unchanged this long is
 *                          asked about by the reconciliation schedule
 */
public record HoneybeeSettings(WebhookAuthenticator.Mode webhookAuth, FillRequests.Policy fillPolicy, RefillSchedule.Policy refillPolicy,
                               Duration outboxRetryWindow, OrderDefaults orderDefaults, Duration reconcileStaleAfter) {

    /** The bean name of the settings as read. */
    public static final String BEAN = "honeybeeSettings";
    /** The smallest pool that lets intake store a webhook while the dispatcher holds an event's transaction. */
    static final int MIN_POOL_SIZE = 2;
    /** Camel's time pattern: a number of milliseconds, or numbers with units d, h, m, s, ms. */
    private static final Pattern CAMEL_DURATION = Pattern.compile("\\d+|(\\d+(d|h|m|s|ms))+");
    /** A default that makes a setting a switch: true or false, or an environment variable defaulting to one. */
    private static final Pattern SWITCH_DEFAULT = Pattern.compile("(?i)(true|false)|\\{\\{env:[A-Za-z0-9_]+:(true|false)}}");

    /**
     * Reads the enumerated settings and checks the switches and the pool size.
     *
     * @throws IllegalStateException naming the property and what it takes, for the first value that does not fit
     */
    public static HoneybeeSettings read(PropertiesComponent properties) {
        checkSwitches(properties);
        checkPoolSize(properties);
        return new HoneybeeSettings(choice(properties, "honeybee.webhook.auth", WebhookAuthenticator.Mode.class),
                choice(properties, "honeybee.fill.policy", FillRequests.Policy.class),
                choice(properties, "honeybee.refill.policy", RefillSchedule.Policy.class),
                duration("honeybee.outbox.retry-window", value(properties, "honeybee.outbox.retry-window").orElse("")),
                OrderDefaults.parse(value(properties, "honeybee.order.default-quantity").orElse(""),
                        value(properties, "honeybee.order.default-package-size").orElse(""),
                        value(properties, "honeybee.order.default-add-ons").orElse(""),
                        value(properties, "honeybee.order.add-on-skus").orElse("")),
                duration("honeybee.reconcile.stale-after", value(properties, "honeybee.reconcile.stale-after").orElse("")));
    }

    /**
     * A positive duration, written as Camel's time patterns write them ({@code 24h}, {@code 20s},
     * {@code 5m30s}, {@code 1d}; a bare number is milliseconds) or as ISO-8601 ({@code PT24H}), any case.
     */
    static Duration duration(String key, String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        Duration parsed = null;
        try {
            if (value.startsWith("p")) {
                parsed = Duration.parse(value.toUpperCase(Locale.ROOT));
            } else if (CAMEL_DURATION.matcher(value).matches()) {
                parsed = TimeUtils.toDuration(value);
            }
        } catch (RuntimeException e) {
            parsed = null;
        }
        if (parsed == null || parsed.isNegative() || parsed.isZero()) {
            throw new IllegalStateException(key + " must be a positive duration such as 24h, 30m, 20s or PT24H; was '" + text.trim() + "'");
        }
        return parsed;
    }

    /** One of the enum's constants, named in any case (a dash for an underscore). */
    static <E extends Enum<E>> E choice(PropertiesComponent properties, String key, Class<E> type) {
        String text = value(properties, key).orElse("");
        String name = text.toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return constant;
            }
        }
        throw new IllegalStateException(key + " must be one of " + Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-')).collect(Collectors.joining(", ")) + "; was '" + text + "'");
    }

    private static void checkSwitches(PropertiesComponent properties) {
        Properties defaults = HoneybeeDefaults.load();
        List<String> switches = defaults.stringPropertyNames().stream()
                .filter(key -> SWITCH_DEFAULT.matcher(defaults.getProperty(key).trim()).matches()).sorted().toList();
        for (String key : switches) {
            String text = value(properties, key).orElse("");
            if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                throw new IllegalStateException(key + " must be true or false; was '" + text + "'");
            }
        }
    }

    private static void checkPoolSize(PropertiesComponent properties) {
        String text = value(properties, "honeybee.db.pool-size").orElse("");
        int size;
        try {
            size = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("honeybee.db.pool-size must be a whole number of at least " + MIN_POOL_SIZE + "; was '" + text + "'");
        }
        if (size < MIN_POOL_SIZE) {
            throw new IllegalStateException("honeybee.db.pool-size must be at least " + MIN_POOL_SIZE
                    + " (the dispatcher holds a connection for each event's transaction while intake stores webhooks); was " + size);
        }
        String threadsText = value(properties, "honeybee.inbox.dispatcher-threads").orElse("");
        int threads;
        try {
            threads = Integer.parseInt(threadsText);
        } catch (NumberFormatException e) {
            threads = 0;
        }
        if (threads < 1) {
            throw new IllegalStateException("honeybee.inbox.dispatcher-threads must be a whole number of at least 1; was '" + threadsText + "'");
        }
        if (size < threads + 1) {
            throw new IllegalStateException("honeybee.db.pool-size must be at least honeybee.inbox.dispatcher-threads + 1 = " + (threads + 1)
                    + " (each dispatcher thread holds a connection for its batch while intake stores webhooks); was " + size);
        }
    }

    private static Optional<String> value(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).map(String::trim);
    }
}
