package com.example.honeybee.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.vertx.core.net.SocketAddress;
import jakarta.servlet.ServletRequest;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;

/**
 * The address an HTTP request came from, as the server's connection saw it: never a value a client can
 * name. platform-http on Vert.x (camel-main, the standalone application) sets
 * {@value VertxPlatformHttpConstants#REMOTE_ADDRESS} from the accepted connection after mapping the request;
 * servlet engines (Spring Boot's platform-http, camel-servlet, Jetty) hand over the request itself as
 * {@value Exchange#HTTP_SERVLET_REQUEST}, whose remote address is the connection's (or what the host's own
 * forwarded-headers handling made of it). No client may set a {@code Camel*} header (Camel's own filter and
 * {@link HttpEntryHeaderFilter} drop them). Vert.x is the standalone application's engine, not the bundle's
 * dependency: its types are touched only when a Vert.x request is there.
 */
public final class RemoteAddress {

    /**
     * Exchange property holding the webhook sender's IP address for the source allowlist. The HTTP entry
     * sets it from the connection; an ESB that calls {@code direct:honeybee-webhook} itself sets it from
     * its own server's connection. A property, not a header: no HTTP consumer maps a request into properties.
     */
    public static final String PROPERTY = "HoneybeeRemoteAddress";

    private RemoteAddress() {
    }

    /** The IP address (no port) of the connection an HTTP request came in on; null for other consumers. */
    public static String ofConnection(Exchange exchange) {
        Object vertxAddress = exchange.getMessage().getHeader(VertxPlatformHttpConstants.REMOTE_ADDRESS);
        if (vertxAddress != null) {
            return VertxConnection.hostAddress(vertxAddress);
        }
        return exchange.getMessage().getHeader(Exchange.HTTP_SERVLET_REQUEST) instanceof ServletRequest request
                ? request.getRemoteAddr() : null;
    }

    /** Whether the request came over a loopback connection (127.0.0.0/8 or ::1): from this machine. */
    public static boolean isLoopback(Exchange exchange) {
        String address = ofConnection(exchange);
        if (address == null || !(address.contains(":") || address.matches("[0-9.]+"))) {
            return false;
        }
        try {
            // an IP literal: no name lookup happens
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Vert.x's types, loaded only when Vert.x delivered the request. */
    private static final class VertxConnection {

        static String hostAddress(Object address) {
            return address instanceof SocketAddress socket ? socket.hostAddress() : null;
        }
    }
}
