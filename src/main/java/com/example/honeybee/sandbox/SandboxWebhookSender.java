package com.example.honeybee.sandbox;

import com.example.honeybee.webhook.SignatureVerifier;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Signs each sandbox webhook as Honeybee does, and hands back the ones the partner did not take. */
public class SandboxWebhookSender {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxWebhookSender.class);

    private final SandboxHoneybee sandbox;
    private final String signingSecret;
    private final String webhookUrl;

    public SandboxWebhookSender(SandboxHoneybee sandbox, String signingSecret, String webhookUrl) {
        this.sandbox = sandbox;
        this.signingSecret = signingSecret;
        this.webhookUrl = webhookUrl;
    }

    public void sign(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        exchange.setProperty("HoneybeeSandboxWebhook", body);
        exchange.getMessage().setHeader("X-Honeybee-Signature", SignatureVerifier.sign(signingSecret, "POST", webhookUrl, body));
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    }

    /** Anything but a 2xx (or no answer at all): delivered again on a later tick. */
    public void checkDelivered(Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null || status < 200 || status >= 300) {
            LOG.warn("sandbox: webhook not accepted ({}); it will be delivered again", status == null ? "no answer" : status);
            sandbox.redeliverLater(exchange.getProperty("HoneybeeSandboxWebhook", byte[].class));
        }
    }
}
