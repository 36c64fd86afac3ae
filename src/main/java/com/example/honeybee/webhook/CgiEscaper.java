package com.example.honeybee.webhook;

/**
 * Form-URL-encoding as Ruby's {@code CGI.escape} does it, which is what Honeybee signs: keeps
 * {@code A-Z a-z 0-9 _ . - ~}, turns a space into {@code +}, and percent-encodes every other byte in
 * upper-case hex. Unlike {@link java.net.URLEncoder} it encodes {@code *} and keeps {@code ~}, and it
 * works on bytes, so a body is signed exactly as it arrived.
 */
public final class CgiEscaper {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private CgiEscaper() {
    }

    /** Escapes each byte of the given parts in order, as if they were one concatenated string. */
    public static byte[] escape(byte[]... parts) {
        // sized exactly in a first pass: this runs on every webhook, on bodies of any size
        int length = 0;
        for (byte[] part : parts) {
            for (byte b : part) {
                int c = b & 0xFF;
                length += isUnreserved(c) || c == ' ' ? 1 : 3;
            }
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            for (byte b : part) {
                int c = b & 0xFF;
                if (isUnreserved(c)) {
                    out[at++] = (byte) c;
                } else if (c == ' ') {
                    out[at++] = '+';
                } else {
                    out[at++] = '%';
                    out[at++] = HEX[c >> 4];
                    out[at++] = HEX[c & 0x0F];
                }
            }
        }
        return out;
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '.' || c == '-' || c == '~';
    }
}
