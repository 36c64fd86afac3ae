package com.example.honeybee.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Body;

/**
 * The Content-Security-Policy of the ops page (routes/server-ops-api.camel.yaml sets it with
 * {@code X-Frame-Options: DENY} and {@code X-Content-Type-Options: nosniff}). The page carries its script and
 * style inline, so its policy allows exactly those blocks by their SHA-256 hash (CSP Level 2), computed from the
 * page as served: nothing else runs, no other page may frame it, and a change to the page needs no change here.
 */
public final class SecurityHeaders {

    private static final Pattern INLINE = Pattern.compile("<(script|style)(\\s[^>]*)?>(.*?)</\\1\\s*>",
            Pattern.DOTALL | Pattern.CASE_INSENSITIVE);

    private SecurityHeaders() {
    }

    /**
     * The policy for an HTML page: {@code default-src 'self'; frame-ancestors 'none'}, and each inline
     * {@code <script>} and {@code <style>} block allowed by its hash ({@code 'sha256-<base64>'}).
     */
    public static String pagePolicy(@Body String html) {
        Set<String> scripts = new LinkedHashSet<>();
        Set<String> styles = new LinkedHashSet<>();
        Matcher block = INLINE.matcher(html == null ? "" : html);
        while (block.find()) {
            String attributes = block.group(2) == null ? "" : block.group(2);
            if (attributes.toLowerCase().contains("src=")) {
                continue;
            }
            (block.group(1).equalsIgnoreCase("script") ? scripts : styles).add("'sha256-" + sha256(block.group(3)) + "'");
        }
        return "default-src 'self'; script-src 'self' " + String.join(" ", scripts) + "; style-src 'self' " + String.join(" ", styles)
                + "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
