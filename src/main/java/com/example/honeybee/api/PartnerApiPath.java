package com.example.honeybee.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.example.honeybee.support.HoneybeeHeaders;
import org.apache.camel.Exchange;

/**
 * The Partner API paths the bundle calls, as URI templates (RFC 6570, level 1), and their expansion.
 * A caller of {@code direct:honeybee-api} names a template in {@value PartnerApi#PATH} (and optionally
 * {@value PartnerApi#QUERY}); each {@code {variable}} is filled from a message header and percent-encoded
 * as one path segment or query value (RFC 3986 §3.3, §3.4), so an id from a webhook such as
 * {@code HB1/partner_order_action_requests?x=} or {@code ../orders} can never change which endpoint is called.
 * Metrics and logs name the template, so their label set is this fixed list.
 * Paths from Honeybee's Partner API reference ("Orders", "Patients", "Shipping methods").
 */
public final class PartnerApiPath {

    /** The header each template variable is read from. */
    public static final Map<String, String> VARIABLES = Map.of(
            "patient_id", HoneybeeHeaders.PATIENT_ID,
            "order_number", PartnerApi.ORDER_NUMBER);

    /** Every path template the bundle may call; anything else is a programming error. */
    public static final List<String> TEMPLATES = List.of(
            "/orders",
            "/orders/{order_number}",
            "/orders/{order_number}/partner_order_action_requests",
            "/orders/{order_number}/shipping_address",
            "/orders/{order_number}/reorders",
            "/patients/{patient_id}",
            "/shipping_methods");

    /** Query templates: {@code name={variable}} pairs joined by {@code &}. */
    public static final List<String> QUERY_TEMPLATES = List.of("patient_id={patient_id}");

    private static final Pattern VARIABLE = Pattern.compile("\\{([a-z_]+)}");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PartnerApiPath() {
    }

    /** The path to call, for the CamelHttpPath header: the template of {@value PartnerApi#PATH}, expanded. */
    public static String path(Exchange exchange) {
        String template = exchange.getMessage().getHeader(PartnerApi.PATH, String.class);
        if (template == null || !TEMPLATES.contains(template)) {
            throw new IllegalStateException("not a Partner API path template of PartnerApiPath.TEMPLATES: " + template);
        }
        return expand(template, exchange, true);
    }

    /** The query to send, for the CamelHttpQuery header, or null when the caller set none. */
    public static String query(Exchange exchange) {
        String template = exchange.getMessage().getHeader(PartnerApi.QUERY, String.class);
        if (template == null || template.isEmpty()) {
            return null;
        }
        if (!QUERY_TEMPLATES.contains(template)) {
            throw new IllegalStateException("not a Partner API query template of PartnerApiPath.QUERY_TEMPLATES: " + template);
        }
        return expand(template, exchange, false);
    }

    static String expand(String template, Exchange exchange, boolean pathSegment) {
        Matcher variable = VARIABLE.matcher(template);
        StringBuilder expanded = new StringBuilder();
        while (variable.find()) {
            String name = variable.group(1);
            String header = VARIABLES.get(name);
            String value = header == null ? null : exchange.getMessage().getHeader(header, String.class);
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException("Partner API call without " + name + " (header " + header + ")");
            }
            if (pathSegment && (value.equals(".") || value.equals(".."))) {
                // a dot segment is removed by every URI normaliser on the way (RFC 3986 §5.2.4), whatever its encoding
                throw new IllegalArgumentException(name + " may not be a dot segment");
            }
            variable.appendReplacement(expanded, Matcher.quoteReplacement(encode(value)));
        }
        variable.appendTail(expanded);
        return expanded.toString();
    }

    /**
     * Percent-encodes all but RFC 3986's unreserved characters (ALPHA DIGIT - . _ ~), as UTF-8 bytes: the
     * strictest encoding, right in a path segment and in a query value alike ({@code HB1/x?y} → {@code HB1%2Fx%3Fy}).
     */
    public static String encode(String value) {
        StringBuilder encoded = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return encoded.toString();
    }
}
