package com.example.honeybee.http;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.impl.VertxInternal;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-main's embedded HTTP server ({@code camel.server.*}, Vert.x) as the standalone application runs it.
 * Camel's server takes its {@code Vertx} from the registry; this listener binds a {@link LimitedVertx} there
 * (idle timeout {@code honeybee.http.idle-timeout-seconds}, connection caps {@code honeybee.http.max-connections} and
 * {@code honeybee.http.max-connections-per-address}, request deadline {@code honeybee.http.request-timeout-seconds})
 * and, once the server has started and before any route starts:
 * <ul>
 * <li>fails the start when the server could not bind its port, with one message naming the address and
 * {@code honeybee.http.port} ({@code HONEYBEE_HTTP_PORT}): Camel's server only logs that failure, and the
 * bundle would otherwise run on and call whatever holds the port as its Partner API;</li>
 * <li>answers a body over {@code camel.server.max-body-size} (set from {@code honeybee.webhook.max-bytes})
 * with the intake's JSON refusal: the server refuses such a body from its Content-Length, or as soon as it
 * grows past the limit, and drops the rest of it as it arrives;</li>
 * <li>puts the request deadline first on every path ({@link LimitedVertx#requestStarted}).</li>
 * </ul>
 * Standalone only: a host that embeds the bundle owns its HTTP server and its limits.
 */
public final class StandaloneHttpServer extends MainListenerSupport {

    /** The registry name of the Vert.x instance the server runs on. */
    public static final String VERTX = "honeybeeVertx";

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        PropertiesComponent properties = context.getPropertiesComponent();
        LimitedVertx vertx = new LimitedVertx((VertxInternal) Vertx.vertx(),
                number(properties, "honeybee.http.idle-timeout-seconds", 30),
                number(properties, "honeybee.http.max-connections", 256),
                number(properties, "honeybee.http.max-connections-per-address", 64),
                number(properties, "honeybee.http.request-timeout-seconds", 15));
        context.getRegistry().bind(VERTX, vertx);
        // after every service, the server included, has stopped with the context
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                vertx.close();
            }
        });
        try {
            // added after camel-main's HTTP server, so it starts right after it, before the routes
            context.addService(new StartCheck(context, vertx), true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot add the HTTP server's start check", e);
        }
    }

    /** Runs once the HTTP server has started (or failed to). */
    private static final class StartCheck extends ServiceSupport {

        private final CamelContext context;
        private final LimitedVertx vertx;

        StartCheck(CamelContext context, LimitedVertx vertx) {
            this.context = context;
            this.vertx = vertx;
        }

        @Override
        protected void doStart() {
            PropertiesComponent properties = context.getPropertiesComponent();
            int port = number(properties, "honeybee.http.port", 8080);
            String failure = vertx.unboundServer();
            if (failure != null) {
                throw new PortUnavailableException("the HTTP server cannot listen on " + properties.resolveProperty("honeybee.http.host").orElse("0.0.0.0")
                        + ":" + port + " (" + failure + "): another process holds the port, or honeybee.http.host is not an address of"
                        + " this machine. Set honeybee.http.port (env HONEYBEE_HTTP_PORT) to a free port");
            }
            VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
            if (router != null) {
                long limit = number(properties, "camel.server.max-body-size", 0);
                // before every route's own handlers, its body handler included: the deadline counts from the head
                router.route().order(Integer.MIN_VALUE).handler(vertx::requestStarted);
                // a failure handler on every path (Vert.x hands a failure to the root router's error handlers,
                // which Camel keeps private, but first to the failure handlers of the routes that match)
                router.route().failureHandler(request -> {
                    if (request.statusCode() == 413) {
                        refuseTooLarge(request, limit);
                    } else if (request.failure() instanceof HttpClosedException) {
                        // the client went away mid-request (a stalled upload it gave up): nothing to answer, and
                        // not the ERROR with a stack trace Vert.x would log for each one
                        LOG.debug("HTTP client closed the connection during {} {}", request.request().method(), request.normalizedPath());
                    } else {
                        request.next();
                    }
                });
            }
        }

        private static void refuseTooLarge(RoutingContext request, long limit) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "rejected");
            body.put("error", "request body is larger than the limit; the limit is " + limit + " bytes (honeybee.webhook.max-bytes)");
            String json;
            try {
                json = JSON.writeValueAsString(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            // the connection stays open: Vert.x reads the rest of that body and drops it, so the client, still
            // sending, gets this answer instead of a reset, and memory holds none of it
            request.response().setStatusCode(413).putHeader("Content-Type", "application/json").end(json);
        }
    }

    /** The HTTP server could not bind its address: a setting to fix, so its message is all there is to say (no stack trace). */
    static final class PortUnavailableException extends IllegalStateException {

        PortUnavailableException(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private static int number(PropertiesComponent properties, String key, int defaultValue) {
        String value = properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("property " + key + " must be a whole number, was '" + value + "'");
        }
    }
}
