package com.example.honeybee.webhook;

import com.example.honeybee.http.RemoteAddress;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * Checks what is known before the body is trusted at all: size, content type and source address. The
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
        if (body == null || body.length == 0) {
            throw new WebhookRejectedException(400, "empty_body", "request body is empty; expected a JSON event");
        }
        if (body.length > maxBytes) {
            throw new WebhookRejectedException(413, "too_large",
                    "request body has " + body.length + " bytes; the limit is " + maxBytes);
        }
        if (!isJson(contentType)) {
            throw new WebhookRejectedException(415, "unsupported_media_type",
                    "Content-Type must be application/json, was " + (contentType == null ? "missing" : "'" + abbreviate(contentType) + "'"));
        }
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
