package com.example.partnerhost;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Honeybee's published webhook signature, written here from its documentation and examples
 * (github.com/Honeybee-Health/event-signature-validation-examples), independently of the bundle:
 * Base64(HMAC-SHA1(key = hex(SHA-256(secret)), CGI.escape("POST" + URL + BODY)) followed by one 0x0A byte).
 * CGI.escape is form encoding that keeps '~' and encodes '*'.
 */
final class HoneybeeSignature {

    private HoneybeeSignature() {
    }

    static String sign(String secret, String url, String body) throws Exception {
        String key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        String escaped = URLEncoder.encode("POST" + url + body, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.US_ASCII), "HmacSHA1"));
        byte[] digest = mac.doFinal(escaped.getBytes(StandardCharsets.US_ASCII));
        byte[] withNewline = Arrays.copyOf(digest, digest.length + 1);
        withNewline[digest.length] = '\n';
        return Base64.getEncoder().encodeToString(withNewline);
    }
}
