package com.example.honeybee.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Honeybee's {@code X-Honeybee-Signature}, as its published examples compute it
 * (github.com/Honeybee-Health/event-signature-validation-examples, commit 671e8c1, in Ruby, Python, Go,
 * Node and Java): {@code Base64(HMAC-SHA1(key, CGI.escape(METHOD + URL + BODY)) || 0x0A)}, where the key
 * is the 64 lower-case hex characters of SHA-256 of the signing credentials' client secret and one
 * newline byte is appended to the 20-byte digest <em>before</em> Base64. A genuine signature is
 * therefore 28 characters, unpadded, ending in {@code K}. Several secrets may be configured at once so
 * that a secret can be rotated without rejecting events.
 */
public final class SignatureVerifier {

    private final List<byte[]> keys;

    public SignatureVerifier(List<String> signingSecrets) {
        this.keys = signingSecrets.stream().map(SignatureVerifier::keyFor).toList();
    }

    public boolean hasSecrets() {
        return !keys.isEmpty();
    }

    /**
     * True when the header matches the signature under any configured secret; compared in constant time.
     * Whitespace around the header is ignored (Ruby's {@code Base64.encode64} ends its output with a line
     * feed); the computed value is never altered.
     */
    public boolean verify(String header, String method, String url, byte[] body) {
        if (header == null || keys.isEmpty()) {
            return false;
        }
        byte[] presented = header.trim().getBytes(StandardCharsets.US_ASCII);
        byte[] signed = baseString(method, url, body);
        boolean matched = false;
        for (byte[] key : keys) {
            byte[] expected = signature(key, signed).getBytes(StandardCharsets.US_ASCII);
            // no early exit: every key is tried so timing does not reveal which one matched
            matched |= MessageDigest.isEqual(expected, presented);
        }
        return matched;
    }

    /** The signature Honeybee would send for this request under the given secret (also used by the sandbox). */
    public static String sign(String signingSecret, String method, String url, byte[] body) {
        return signature(keyFor(signingSecret), baseString(method, url, body));
    }

    static byte[] keyFor(String signingSecret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(signingSecret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static byte[] baseString(String method, String url, byte[] body) {
        return CgiEscaper.escape(method.getBytes(StandardCharsets.UTF_8), url.getBytes(StandardCharsets.UTF_8), body);
    }

    /** One Mac per thread: looking the algorithm up among the providers costs more than the HMAC of a webhook. */
    private static final ThreadLocal<Mac> HMAC_SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA1");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    });

    /** The 20 digest bytes followed by one newline byte, Base64-encoded: Honeybee's published scheme. */
    private static String signature(byte[] key, byte[] baseString) {
        try {
            Mac mac = HMAC_SHA1.get();
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] digestAndNewline = new byte[mac.getMacLength() + 1];
            mac.update(baseString);
            mac.doFinal(digestAndNewline, 0);
            digestAndNewline[digestAndNewline.length - 1] = '\n';
            return Base64.getEncoder().encodeToString(digestAndNewline);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }
}
