package com.example.honeybee.support;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * Makes a value that came from outside (a webhook's ids, a Partner API answer's order number or
 * X-Request-Id, a reason quoting either) safe to put in a log line: control, invisible and line
 * separator characters and unpaired surrogates are written as a Java-style escape (a line feed as the
 * six characters backslash, u, 000A), a backslash is doubled (so an escape in the log is never
 * ambiguous), and the value is cut at 200 characters. A CR/LF in an
 * event_id can then never write a forged line. Ids are also refused at intake when they hold such
 * characters (the field catalogue's ID kind); this covers what was stored earlier and what comes from
 * Honeybee's API. Java code calls {@link #escape}; routes' {@code log} steps call the bean methods
 * ({@code ${bean:honeybeeLogSafe?method=eventId}}).
 */
public final class LogSafe {

    static final int MAX_LENGTH = 200;

    /** The value as a log-safe string ("null" for null). */
    public static String escape(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        if (text.length() <= MAX_LENGTH && isSafe(text)) {
            return text;
        }
        int end = Math.min(text.length(), MAX_LENGTH);
        StringBuilder out = new StringBuilder(end + 16);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (unsafe(text, i)) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > MAX_LENGTH) {
            out.append("...(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }

    /** For routes: the event id header, escaped. */
    public String eventId(@Header(HoneybeeHeaders.EVENT_ID) Object eventId) {
        return escape(eventId);
    }

    /**
     * For routes: how many elements each declared array of the parsed event body holds ({@code medication_requests=1
     * medication_dispenses=3}), so that an event gets one log line however many items it carries. Names and counts only.
     */
    public String elementCounts(@Body Object body) {
        return com.example.honeybee.webhook.WebhookFields.elementCounts(body);
    }

    /** For routes: the event type header, escaped. */
    public String eventType(@Header(HoneybeeHeaders.EVENT_TYPE) Object eventType) {
        return escape(eventType);
    }

    /** For routes: the caught exception's message, escaped (a refusal may name ids that came in an event). */
    public String exceptionMessage(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure) {
        return escape(failure == null ? null : failure.getMessage());
    }

    private static boolean isSafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\\' || unsafe(text, i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean unsafe(String text, int i) {
        char c = text.charAt(i);
        switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR:
                return true;
            case Character.SURROGATE:
                return Character.isHighSurrogate(c)
                        ? i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))
                        : i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
            default:
                return false;
        }
    }
}
