package com.example.honeybee.observe;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.util.Map;

import javax.sql.DataSource;

import com.example.honeybee.api.PartnerApiCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness: the database answers (nothing can be acknowledged without it). The OAuth token endpoint's
 * reachability and the Partner API check's state ({@code partner_api}: checking, ready, unavailable,
 * misconfigured, with {@code partner_api_message}) are details only: webhooks are still stored while
 * Honeybee's API is away or misconfigured.
 */
public class DatabaseReadiness extends ReadinessCheck {

    private final DataSource dataSource;
    private final String tokenUrl;
    private final PartnerApiCheck partnerApi;

    public DatabaseReadiness(DataSource dataSource, String tokenUrl, PartnerApiCheck partnerApi) {
        super("honeybee-database");
        this.dataSource = dataSource;
        this.tokenUrl = tokenUrl;
        this.partnerApi = partnerApi;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("token_endpoint", tokenEndpoint());
        Map<String, Object> check = partnerApi.details();
        builder.detail("partner_api", check.get("state"));
        builder.detail("partner_api_message", check.get("message"));
        try (Connection connection = dataSource.getConnection()) {
            if (connection.isValid(2)) {
                builder.detail("database", "reachable").up();
            } else {
                builder.detail("database", "not valid").down();
            }
        } catch (Exception e) {
            builder.detail("database", "unreachable (" + e.getClass().getSimpleName() + ")").down();
        }
    }

    /** A TCP connect to the token endpoint: cheap, and fetches no token. */
    private String tokenEndpoint() {
        try {
            URI uri = URI.create(tokenUrl);
            int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), port), 1000);
            }
            return "reachable";
        } catch (Exception e) {
            return "unreachable (" + e.getClass().getSimpleName() + ")";
        }
    }
}
