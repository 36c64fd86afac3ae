package com.example.honeybee.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;
import io.vertx.core.net.SocketAddress;

/**
 * The address an HTTP request came from, as the server's connection saw it: never a value a client can
 * name. platform-http (Vert.x) sets {@value VertxPlatformHttpConstants#REMOTE_ADDRESS} from the accepted
 * connection after mapping the request, and no client may set a {@code Camel*} header (Camel's own filter
 * and {@link HttpEntryHeaderFilter} drop them).
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

    /** The IP address (no port) of the connection a platform-http request came in on; null for other consumers. */
    public static String ofConnection(Exchange exchange) {
        Object address = exchange.getMessage().getHeader(VertxPlatformHttpConstants.REMOTE_ADDRESS);
        return address instanceof SocketAddress socket ? socket.hostAddress() : null;
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
}
