package com.example.honeybee.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

import com.example.honeybee.support.PhiFreeMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OAuth 2.0 client-credentials token every Partner API call shares: fetched through the
 * oauth-token route, kept until shortly before it expires, dropped when Honeybee answers 401.
 * The token and the client secret are never logged.
 */
public class OAuthTokens {

    private static final Logger LOG = LoggerFactory.getLogger(OAuthTokens.class);
    private static final Duration MIN_MARGIN = Duration.ofSeconds(60);
    /** RFC 6749 §5.2 error codes, the only text of a refusal that is kept. */
    private static final Set<String> OAUTH_ERRORS = Set.of("invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
            "unsupported_grant_type", "invalid_scope");
    /** The codes that mean the configured credentials are refused. */
    private static final Set<String> REFUSED_CREDENTIALS = Set.of("invalid_client", "unauthorized_client");
    /** Exchange property: the generation of the token a Partner API call carried. */
    static final String GENERATION = "HoneybeeApiTokenGeneration";

    private final String clientId;
    private final String clientSecret;
    private final boolean basicAuth;
    private final ObjectMapper mapper;
    private final Clock clock;
    private ProducerTemplate template;

    private String token;
    /** Counts tokens fetched: identifies the token a call carried without keeping the token on the exchange. */
    private long generation;
    private Instant refreshAt = Instant.MIN;

    public OAuthTokens(String clientId, String clientSecret, boolean basicAuth, ObjectMapper mapper, Clock clock) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.basicAuth = basicAuth;
        this.mapper = mapper;
        this.clock = clock;
    }

    public void setTemplate(ProducerTemplate template) {
        this.template = template;
    }

    /**
     * The Authorization header value, fetching a token first when there is none or it is about to expire.
     * Notes on the exchange which token it carries ({@value #GENERATION}), so a 401 drops only that one.
     */
    public synchronized String authorizationHeader(Exchange exchange) {
        if (token == null || !clock.instant().isBefore(refreshAt)) {
            template.requestBody("direct:honeybee-oauth-token", (Object) null);
        }
        exchange.setProperty(GENERATION, generation);
        return "Bearer " + token;
    }

    /**
     * After a 401: forgets the token that call carried, so the next call fetches a new one. A token fetched
     * meanwhile (by a concurrent call that got its 401 first) is newer and stays.
     */
    public synchronized void invalidate(Exchange exchange) {
        Long used = exchange.getProperty(GENERATION, Long.class);
        if (used != null && used != generation) {
            LOG.info("Partner API refused an access token already replaced; keeping the newer one");
            return;
        }
        token = null;
        LOG.info("Partner API refused the access token; a new one will be fetched");
    }

    /** The form body of the token request (credentials in the body unless Basic auth is configured). */
    public String requestForm(Exchange exchange) {
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        if (basicAuth) {
            String credentials = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
            exchange.getMessage().setHeader("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        } else {
            form.append("&client_id=").append(URLEncoder.encode(clientId, StandardCharsets.UTF_8))
                    .append("&client_secret=").append(URLEncoder.encode(clientSecret, StandardCharsets.UTF_8));
        }
        return form.toString();
    }

    /** Keeps the token from the token endpoint's answer, or fails with a message free of secrets. */
    public synchronized void accept(Exchange exchange) throws Exception {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status != 200) {
            String error = oauthError(exchange.getMessage().getBody(String.class));
            // RFC 6749 §5.2: the credentials themselves are refused; retrying will not help until they change
            boolean refused = (status == 400 || status == 401) && REFUSED_CREDENTIALS.contains(error);
            throw new TokenException("OAuth token endpoint answered " + status + (error == null ? "" : " " + error)
                    + "; check honeybee.oauth.client-id, the client secret and honeybee.oauth.token-url", refused);
        }
        JsonNode body = mapper.readTree(exchange.getMessage().getBody(String.class));
        String accessToken = body.path("access_token").asText(null);
        if (accessToken == null || accessToken.isBlank()) {
            throw new TokenException("OAuth token endpoint answered without access_token");
        }
        long expiresIn = body.path("expires_in").asLong(3600);
        token = accessToken;
        generation++;
        refreshAt = clock.instant().plusSeconds(expiresIn).minus(refreshMargin(expiresIn));
        LOG.info("Partner API access token obtained, valid {} s", expiresIn);
    }

    /**
     * How long before expiry a token is replaced: a tenth of its life, at least a minute (clock skew, slow
     * calls), but never more than a quarter of its life, so a short-lived token (30 s) is still used for
     * three quarters of it instead of being fetched again on every call. 12 h tokens: 72 min.
     */
    static Duration refreshMargin(long expiresInSeconds) {
        long life = Math.max(0, expiresInSeconds) * 1000;
        return Duration.ofMillis(Math.min(Math.max(MIN_MARGIN.toMillis(), life / 10), life / 4));
    }

    /** RFC 6749's "error" of a refused token request, when it is one of its registered codes; else null. */
    private String oauthError(String body) {
        try {
            String error = body == null || body.isBlank() ? null : mapper.readTree(body).path("error").asText(null);
            return error != null && OAUTH_ERRORS.contains(error) ? error : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** The token request failed; {@link #credentialsRefused()} when the endpoint refused the credentials themselves. */
    public static class TokenException extends RuntimeException implements PhiFreeMessage {
        private final boolean credentialsRefused;

        public TokenException(String message) {
            this(message, false);
        }

        public TokenException(String message, boolean credentialsRefused) {
            super(message);
            this.credentialsRefused = credentialsRefused;
        }

        /** A definite misconfiguration (invalid_client, unauthorized_client): no retry helps until it is fixed. */
        public boolean credentialsRefused() {
            return credentialsRefused;
        }
    }
}
