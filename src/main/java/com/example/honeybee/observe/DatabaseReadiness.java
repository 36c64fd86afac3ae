package com.example.honeybee.observe;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: the database answers (nothing can be acknowledged without it). The OAuth token endpoint's
 * reachability is reported as a detail only: webhooks are still stored while Honeybee's API is away.
 */
public class DatabaseReadiness extends AbstractHealthCheck {

    private final DataSource dataSource;
    private final String tokenUrl;

    public DatabaseReadiness(DataSource dataSource, String tokenUrl) {
        super("honeybee", "honeybee-database");
        this.dataSource = dataSource;
        this.tokenUrl = tokenUrl;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("token_endpoint", tokenEndpoint());
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
