package com.example.honeybee.http;

import java.util.List;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * What of an incoming HTTP request may become a Camel message header at the bundle's HTTP entries (the
 * webhook, the ops API and page, the sandbox), as platform-http's {@code headerFilterStrategy}.
 * <p>
 * platform-http maps the request's HTTP headers, its query parameters and its form fields into the one
 * header map, under their own names. Left alone, {@code ?HoneybeeRemoteAddress=203.0.113.5} or a form
 * field {@code Authorization=Bearer …} would set what a route step reads. This strategy keeps:
 * <ul>
 * <li>the request's real HTTP headers, checked against the Vert.x request itself (name and value), except
 * any whose name starts with {@code Camel} or {@code Honeybee} (any case): those names belong to Camel and
 * to the bundle's own steps;</li>
 * <li>of the query parameters and form fields, only the names given here (the few the endpoints read as
 * parameters); every other one is dropped, whatever its name, and so is one with the name of a header the
 * request sent.</li>
 * </ul>
 * Headers Camel sets itself after the mapping (the path parameters, {@code CamelHttpMethod},
 * {@code CamelHttpQuery}, {@code CamelVertxPlatformHttpRemoteAddress} from the connection) are not
 * affected. Outgoing headers are filtered as Camel's {@link HttpHeaderFilterStrategy} does.
 * <p>
 * Only the Vert.x engine lets a header be told apart from a parameter of the same name. On another
 * platform-http engine the strategy keeps the name rule alone (no {@code Camel*}/{@code Honeybee*} from
 * outside) and lets parameters through as that engine maps them.
 */
public class HttpEntryHeaderFilter extends HttpHeaderFilterStrategy {

    /** Whether the Vert.x platform-http engine (the standalone application's) is on the class path. */
    private static final boolean VERTX = present("org.apache.camel.component.platform.http.vertx.HttpMessage");

    private final Set<String> parameters;

    /** @param parameters the query parameter and form field names that may become headers, exact case */
    public HttpEntryHeaderFilter(Set<String> parameters) {
        this.parameters = Set.copyOf(parameters);
        setInFilterStartsWith("Camel", "camel", "Honeybee", "honeybee");
    }

    @Override
    protected boolean extendedFilter(Direction direction, String name, Object value, Exchange exchange) {
        // Vert.x's types are touched only where Vert.x is: a host on another engine may not have it
        List<String> sent = direction == Direction.IN && VERTX ? VertxRequest.headers(exchange, name) : null;
        if (sent == null) {
            return super.extendedFilter(direction, name, value, exchange);
        }
        if (sent.isEmpty()) {
            return !parameters.contains(name);
        }
        // a name the request sent as a header: only that header's values, once each (platform-http maps the
        // headers before the query and the form, so a parameter of the same name comes after them)
        long sentCopies = sent.stream().filter(value::equals).count();
        return sentCopies == 0 || copiesOf(value, exchange.getIn().getHeader(name)) >= sentCopies;
    }

    private static long copiesOf(Object value, Object mapped) {
        if (mapped instanceof Iterable<?> values) {
            long copies = 0;
            for (Object each : values) {
                copies += value.equals(each) ? 1 : 0;
            }
            return copies;
        }
        return value.equals(mapped) ? 1 : 0;
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, HttpEntryHeaderFilter.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The Vert.x request's own headers of a name, or null when Vert.x did not deliver the request. */
    private static final class VertxRequest {

        static List<String> headers(Exchange exchange, String name) {
            return exchange.getIn() instanceof HttpMessage message && message.getRequest() != null
                    ? message.getRequest().headers().getAll(name) : null;
        }
    }
}
