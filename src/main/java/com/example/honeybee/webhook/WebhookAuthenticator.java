package com.example.honeybee.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

import com.example.honeybee.support.HoneybeeHeaders;
import org.apache.camel.Body;
import org.apache.camel.Header;

/**
 * Authenticates a webhook per {@code honeybee.webhook.auth}: the X-Honeybee-Signature HMAC, the
 * static X-Honeybee-Secret, either of them, or both.
 */
public class WebhookAuthenticator {

    /** honeybee.webhook.auth, as HoneybeeSettings reads it. */
    public enum Mode {
        SIGNATURE, SECRET, EITHER, BOTH
    }

    private final Mode mode;
    private final SignatureVerifier verifier;
    private final byte[] sharedSecret;
    private final String publicUrl;

    public WebhookAuthenticator(Mode mode, SignatureVerifier verifier, String sharedSecret, String publicUrl) {
        this.mode = mode;
        this.verifier = verifier;
        this.sharedSecret = sharedSecret == null || sharedSecret.isBlank() ? null : sharedSecret.getBytes(StandardCharsets.UTF_8);
        this.publicUrl = publicUrl;
        boolean hasSignatureSecrets = verifier.hasSecrets();
        boolean hasSharedSecret = this.sharedSecret != null;
        boolean ok = switch (this.mode) {
            case SIGNATURE -> hasSignatureSecrets;
            case SECRET -> hasSharedSecret;
            case BOTH -> hasSignatureSecrets && hasSharedSecret;
            case EITHER -> hasSignatureSecrets || hasSharedSecret;
        };
        if (!ok) {
            throw new IllegalStateException("honeybee.webhook.auth=" + mode.name().toLowerCase(Locale.ROOT) + " needs "
                    + (this.mode == Mode.SECRET ? "" : "honeybee.webhook.signing-secrets (env HONEYBEE_WEBHOOK_SIGNING_SECRETS)")
                    + (this.mode == Mode.BOTH || this.mode == Mode.EITHER ? (this.mode == Mode.BOTH ? " and " : " or ") : "")
                    + (this.mode == Mode.SIGNATURE ? "" : "honeybee.webhook.shared-secret (env HONEYBEE_WEBHOOK_SHARED_SECRET)"));
        }
    }

    public void authenticate(@Body byte[] body,
                             @Header(HoneybeeHeaders.SIGNATURE) String signature,
                             @Header(HoneybeeHeaders.SHARED_SECRET) String secret) {
        switch (mode) {
            case SIGNATURE -> requireSignature(signature, body);
            case SECRET -> requireSecret(secret);
            case BOTH -> {
                requireSignature(signature, body);
                requireSecret(secret);
            }
            case EITHER -> {
                boolean signatureOk = signature != null && verifier.verify(signature, "POST", publicUrl, body);
                boolean secretOk = secret != null && secretMatches(secret);
                if (!signatureOk && !secretOk) {
                    throw unauthorized(signature == null && secret == null
                            ? "missing X-Honeybee-Signature and X-Honeybee-Secret headers"
                            : "neither X-Honeybee-Signature nor X-Honeybee-Secret is valid");
                }
            }
        }
    }

    private void requireSignature(String signature, byte[] body) {
        if (signature == null || signature.isBlank()) {
            throw unauthorized("missing X-Honeybee-Signature header");
        }
        if (!verifier.verify(signature, "POST", publicUrl, body)) {
            throw unauthorized("X-Honeybee-Signature does not match the body; check the signing secret "
                    + "and that honeybee.webhook.public-url is the URL registered with Honeybee");
        }
    }

    private void requireSecret(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw unauthorized("missing X-Honeybee-Secret header");
        }
        if (!secretMatches(secret)) {
            throw unauthorized("X-Honeybee-Secret does not match");
        }
    }

    private boolean secretMatches(String presented) {
        return sharedSecret != null && MessageDigest.isEqual(sharedSecret, presented.getBytes(StandardCharsets.UTF_8));
    }

    private static WebhookRejectedException unauthorized(String message) {
        return new WebhookRejectedException(401, "unauthorized", message);
    }
}
