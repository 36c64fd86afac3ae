package com.example.honeybee.http;

import java.net.BindException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.impl.VertxWrapper;
import io.vertx.core.net.impl.TCPServerBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x instance the standalone application's HTTP server runs on, with the limits Camel's
 * {@code camel.server.*} options do not reach (Camel 4.18 builds the server's {@link HttpServerOptions}
 * itself and offers no hook). Every HTTP server it creates gets:
 * <ul>
 * <li>an idle timeout ({@link HttpServerOptions#setIdleTimeout}): a connection on which nothing is read or
 * written for that many seconds is closed, with whatever request body it had buffered;</li>
 * <li>a cap on open connections: a connection beyond the cap is closed as soon as it is accepted, before
 * any of its request is read (Vert.x has no such option; this is its connection handler);</li>
 * <li>no HTTP/2 over cleartext (h2c), so that each connection carries one request at a time and request
 * bodies held in memory stay below max-connections × the body limit.</li>
 * </ul>
 * It also remembers why a server could not bind its port: Camel's server only logs that failure from a
 * Vert.x callback, so {@link StandaloneHttpServer} asks {@link #unboundServer()} before any route starts.
 * Extending {@link VertxWrapper} is how Vert.x asks for {@code Vertx} implementations to be written.
 */
final class LimitedVertx extends VertxWrapper {

    private static final Logger LOG = LoggerFactory.getLogger(LimitedVertx.class);

    private final int idleTimeoutSeconds;
    private final int maxConnections;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger refusedConnections = new AtomicInteger();
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private volatile BindException bindFailure;

    /**
     * @param idleTimeoutSeconds seconds without traffic before a connection is closed; 0 = never
     * @param maxConnections     open connections at most, across the servers created here; 0 = no cap
     */
    LimitedVertx(VertxInternal delegate, int idleTimeoutSeconds, int maxConnections) {
        super(delegate);
        this.idleTimeoutSeconds = idleTimeoutSeconds;
        this.maxConnections = maxConnections;
        // Camel's server reports a failed bind by throwing from its listen callback: keep the cause for a
        // message that names the port and its property, instead of Vert.x's "Unhandled exception" trace
        delegate.exceptionHandler(this::unhandled);
    }

    @Override
    public HttpServer createHttpServer(HttpServerOptions options) {
        // no HTTP/2 without TLS: one HTTP/2 connection carries many streams, each buffering a body, past the cap
        HttpServerOptions limited = new HttpServerOptions(options).setHttp2ClearTextEnabled(false);
        if (idleTimeoutSeconds > 0) {
            limited.setIdleTimeout(idleTimeoutSeconds).setIdleTimeoutUnit(TimeUnit.SECONDS);
        }
        HttpServer server = super.createHttpServer(limited);
        if (maxConnections > 0) {
            server.connectionHandler(connection -> {
                if (openConnections.incrementAndGet() > maxConnections) {
                    openConnections.decrementAndGet();
                    refusedConnections.incrementAndGet();
                    connection.close();
                    return;
                }
                connection.closeHandler(closed -> openConnections.decrementAndGet());
            });
        }
        servers.add(server);
        return server;
    }

    /** Connections closed at once because the cap was reached, since start. */
    int refusedConnections() {
        return refusedConnections.get();
    }

    /** Why a server created here is not listening, or null when all are (or none was created). */
    String unboundServer() {
        for (HttpServer server : servers) {
            if (server instanceof TCPServerBase tcp && !tcp.isListening()) {
                BindException cause = bindFailure;
                return cause != null ? cause.getMessage() : "the server is not listening";
            }
        }
        return null;
    }

    private void unhandled(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind) {
                bindFailure = bind;
                return;
            }
        }
        LOG.error("Unhandled exception in a Vert.x handler", failure);
    }
}
