package com.example.honeybee.webhook;

import com.example.honeybee.http.RemoteAddress;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * Checks what is known before the body is trusted at all: source address, content type (and its charset), size.
 * The content type comes before the body's emptiness: a form or multipart POST arrives with its body consumed
 * by the HTTP consumer (its fields became headers), and its problem is its type, not an empty body. The
 * source is the exchange property {@value RemoteAddress#PROPERTY}, which the HTTP entry sets from the
 * server's connection (an ESB feeding {@code direct:honeybee-webhook} sets it from its own); never a header.
 */
public class WebhookTransportGuard {

    private final int maxBytes;
    private final CidrAllowlist allowlist;

    public WebhookTransportGuard(int maxBytes, CidrAllowlist allowlist) {
        this.maxBytes = maxBytes;
        this.allowlist = allowlist;
    }

    public void check(@Body byte[] body,
                      @Header("Content-Type") String contentType,
                      @ExchangeProperty(RemoteAddress.PROPERTY) String remoteAddress) {
        if (!allowlist.allows(remoteAddress)) {
            throw new WebhookRejectedException(403, "source_not_allowed",
                    "source address is not in honeybee.webhook.allow-cidrs");
        }
        if (!isJson(contentType)) {
            throw new WebhookRejectedException(415, "unsupported_media_type",
                    "Content-Type must be application/json, was " + (contentType == null ? "missing" : "'" + abbreviate(contentType) + "'"));
        }
        String charset = charset(contentType);
        if (charset != null && !charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
            throw new WebhookRejectedException(415, "unsupported_media_type", "Content-Type declares charset '" + abbreviate(charset)
                    + "'; a webhook body must be UTF-8 (RFC 8259 section 8.1): send charset=utf-8 or none");
        }
        if (body == null || body.length == 0) {
            throw new WebhookRejectedException(400, "empty_body", "request body is empty; expected a JSON event");
        }
        if (body.length > maxBytes) {
            throw new WebhookRejectedException(413, "too_large",
                    "request body has " + body.length + " bytes; the limit is " + maxBytes);
        }
    }

    /** The value of the media type's charset parameter (quotes removed), or null when it has none. */
    static String charset(String contentType) {
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("charset")) {
                return parameter.substring(equals + 1).trim().replace("\"", "");
            }
        }
        return null;
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return mediaType.equalsIgnoreCase("application/json");
    }

    private static String abbreviate(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7E]", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
    }
}
