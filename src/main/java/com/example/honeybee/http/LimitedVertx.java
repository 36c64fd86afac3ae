package com.example.honeybee.http;

import java.net.BindException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.impl.VertxWrapper;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.TCPServerBase;
import io.vertx.ext.web.RoutingContext;
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
 * <li>a cap on open connections per remote address, so that one source cannot hold every slot of the cap;</li>
 * <li>a request deadline: a request whose body is not complete {@code requestTimeoutSeconds} after its head
 * arrived is answered 408 and its connection closed, and a new connection that has not sent a request head by
 * then (or by the idle timeout, when longer) is closed. The idle timeout alone does not bound a client that
 * trickles a byte now and then;</li>
 * <li>a strict request decoder ({@link StrictRequestDecoder}): a request with both Content-Length and
 * Transfer-Encoding, or a malformed percent-escape in its target, is answered 400 and its connection closed;</li>
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
    private final int maxConnectionsPerAddress;
    private final long requestTimeoutMillis;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger refusedConnections = new AtomicInteger();
    private final AtomicInteger expiredRequests = new AtomicInteger();
    /** Open connections per remote address (its host part); an address leaves the map with its last connection. */
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
    /** Open connections that have not sent a request head yet, with the timer that closes them. */
    private final Map<HttpConnection, Long> awaitingHead = new ConcurrentHashMap<>();
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private volatile BindException bindFailure;

    /**
     * @param idleTimeoutSeconds       seconds without traffic before a connection is closed; 0 = never
     * @param maxConnections           open connections at most, across the servers created here; 0 = no cap
     * @param maxConnectionsPerAddress open connections at most from one remote address; 0 = no cap
     * @param requestTimeoutSeconds    seconds from a request's head (or a connection's accept) to its body's last
     *                                 byte; 0 = no deadline
     */
    LimitedVertx(VertxInternal delegate, int idleTimeoutSeconds, int maxConnections, int maxConnectionsPerAddress,
                 int requestTimeoutSeconds) {
        super(delegate);
        this.idleTimeoutSeconds = idleTimeoutSeconds;
        this.maxConnections = maxConnections;
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
        this.requestTimeoutMillis = TimeUnit.SECONDS.toMillis(requestTimeoutSeconds);
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
        server.connectionHandler(connection -> accepted(connection, limited));
        server.invalidRequestHandler(LimitedVertx::refuseInvalid);
        servers.add(server);
        return server;
    }

    /** A new connection: counted against both caps (or closed unanswered), given the strict decoder and the head deadline. */
    private void accepted(HttpConnection connection, HttpServerOptions options) {
        if (maxConnections > 0 && openConnections.incrementAndGet() > maxConnections) {
            openConnections.decrementAndGet();
            refuse(connection);
            return;
        }
        String address = hostOf(connection.remoteAddress());
        boolean admitted = perAddress.merge(address, 1, Integer::sum) <= maxConnectionsPerAddress || maxConnectionsPerAddress <= 0;
        if (!admitted) {
            release(address, maxConnections > 0);
            refuse(connection);
            return;
        }
        if (connection instanceof ConnectionBase base) {
            ChannelPipeline pipeline = base.channel().pipeline();
            // the server builds its pipeline before it reads a byte and calls this handler from there: nothing is decoded yet
            if (pipeline.get("httpDecoder") != null) {
                pipeline.replace("httpDecoder", "httpDecoder", new StrictRequestDecoder(options));
            }
        }
        if (requestTimeoutMillis > 0) {
            // as long as the idle timeout when that is longer: an unused connection a browser opened ahead closes when it did before
            long headDeadline = Math.max(requestTimeoutMillis, TimeUnit.SECONDS.toMillis(idleTimeoutSeconds));
            awaitingHead.put(connection, setTimer(headDeadline, timer -> {
                if (awaitingHead.remove(connection) != null) {
                    expiredRequests.incrementAndGet();
                    connection.close();
                }
            }));
        }
        connection.closeHandler(closed -> {
            Long timer = awaitingHead.remove(connection);
            if (timer != null) {
                cancelTimer(timer);
            }
            release(address, maxConnections > 0);
        });
    }

    private void refuse(HttpConnection connection) {
        refusedConnections.incrementAndGet();
        connection.close();
    }

    private void release(String address, boolean counted) {
        perAddress.computeIfPresent(address, (key, open) -> open > 1 ? open - 1 : null);
        if (counted) {
            openConnections.decrementAndGet();
        }
    }

    /**
     * The first handler of every request the router sees (StandaloneHttpServer installs it): the connection has sent a
     * head, so its head deadline ends and the request's starts. A request whose body has not ended when it runs out is
     * answered 408, or, when its answer has begun (a 413 whose body is still arriving), only its connection is closed.
     */
    void requestStarted(RoutingContext context) {
        HttpServerRequest request = context.request();
        Long headTimer = awaitingHead.remove(request.connection());
        if (headTimer != null) {
            cancelTimer(headTimer);
        }
        if (requestTimeoutMillis > 0 && !request.isEnded()) {
            long timer = setTimer(requestTimeoutMillis, fired -> expire(request));
            context.addEndHandler(done -> {
                if (request.isEnded()) {
                    cancelTimer(timer);
                }
            });
        }
        context.next();
    }

    private void expire(HttpServerRequest request) {
        if (request.isEnded()) {
            return;
        }
        expiredRequests.incrementAndGet();
        LOG.debug("HTTP request {} {} not complete after {} ms: connection closed", request.method(), request.path(), requestTimeoutMillis);
        HttpServerResponse response = request.response();
        if (response.headWritten() || response.ended() || response.closed()) {
            request.connection().close();
            return;
        }
        String error = "the request was not complete within " + requestTimeoutMillis / 1000 + " seconds (honeybee.http.request-timeout-seconds)";
        response.setStatusCode(408).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").putHeader(HttpHeaders.CONNECTION, "close")
                .end(new JsonObject().put("status", "rejected").put("error", error).encode())
                .onComplete(sent -> request.connection().close());
    }

    /**
     * A request head the decoder could not accept: 400 with the refusal's message (a StrictRequestDecoder refusal),
     * 414 or 431 for an over-long line or header block as Vert.x answers them, and the connection closed. One DEBUG line.
     */
    private static void refuseInvalid(HttpServerRequest request) {
        DecoderResult result = request.decoderResult();
        Throwable cause = result.cause();
        int status = 400;
        String error = "the request could not be read as HTTP/1.1";
        if (cause instanceof StrictRequestDecoder.RefusedRequestException refused) {
            error = refused.getMessage();
        } else if (cause instanceof TooLongHttpLineException) {
            status = 414;
            error = "the request line is longer than the server's limit";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            error = "the request's header fields are larger than the server's limit";
        }
        LOG.debug("HTTP request refused before routing ({}): {}", status, error);
        request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(new JsonObject().put("status", "rejected").put("error", error).encode())
                .onComplete(sent -> request.connection().close());
    }

    private static String hostOf(SocketAddress remote) {
        return remote == null ? "" : remote.hostAddress() != null ? remote.hostAddress() : String.valueOf(remote);
    }

    /** Requests (or new connections) closed at their deadline, since start. */
    int expiredRequests() {
        return expiredRequests.get();
    }

    /** Connections closed at once because a cap (all connections, or one address's) was reached, since start. */
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
