package com.example.honeybee.support;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

import org.apache.camel.util.TimeUtils;

/**
 * Reads a {@code honeybee.*} setting's text into the value the bundle uses, once, at the bean that uses
 * it; a value that does not fit stops with a message naming the property and what it accepts.
 */
public final class SettingValues {

    /** Camel's time pattern: a number of milliseconds, or numbers with units d, h, m, s, ms. */
    private static final Pattern CAMEL_DURATION = Pattern.compile("\\d+|(\\d+(d|h|m|s|ms))+");

    private SettingValues() {
    }

    /**
     * A positive duration, written as Camel's time patterns write them ({@code 24h}, {@code 20s},
     * {@code 5m30s}, {@code 1d}; a bare number is milliseconds) or as ISO-8601 ({@code PT24H}), any case.
     *
     * @throws IllegalStateException naming the property, when the text is none of these or not positive
     */
    public static Duration duration(String key, String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
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
            throw new IllegalStateException("property " + key + " must be a positive duration such as 24h, 30m, 20s or PT24H; was '"
                    + (text == null ? "" : text.trim()) + "'");
        }
        return parsed;
    }
}
