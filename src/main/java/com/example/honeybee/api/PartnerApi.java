package com.example.honeybee.api;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

/**
 * Reads the Partner API's answers for the partner-api route: a 2xx body is parsed and returned, any
 * other answer or transport failure becomes a classified {@link PartnerApiException}.
 */
public class PartnerApi {

    /** Headers a caller sets before calling direct:honeybee-api: the method, and templates of {@link PartnerApiPath}. */
    public static final String METHOD = "HoneybeeApiMethod";
    public static final String PATH = "HoneybeeApiPath";
    public static final String QUERY = "HoneybeeApiQuery";
    /** The value of {@code {order_number}} in a path template. */
    public static final String ORDER_NUMBER = "HoneybeeApiOrderNumber";
    /** Exchange property: the path as sent, for the call log. */
    public static final String SENT_PATH = "HoneybeeApiSentPath";
    public static final String REQUEST_ID = "HoneybeeApiRequestId";
    public static final String STATUS = "HoneybeeApiStatus";

    private final ObjectMapper mapper;
    private final ApiCallLog calls;

    public PartnerApi(ObjectMapper mapper, ApiCallLog calls) {
        this.mapper = mapper;
        this.calls = calls;
    }

    /** Marks the start of a call, for its duration in the call log. */
    public void start(Exchange exchange) {
        calls.start(exchange);
    }

    /** The expanded path for CamelHttpPath (see {@link PartnerApiPath}); kept for the call log. */
    public String path(Exchange exchange) {
        String path = PartnerApiPath.path(exchange);
        exchange.setProperty(SENT_PATH, path);
        return path;
    }

    /** The expanded query for CamelHttpQuery, or null. */
    public String query(Exchange exchange) {
        return PartnerApiPath.query(exchange);
    }

    /** Returns the parsed JSON of a successful answer (an empty object for 204), or throws. */
    public JsonNode classify(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String requestId = exchange.getMessage().getHeader("X-Request-Id", String.class);
        exchange.getMessage().setHeader(REQUEST_ID, requestId);
        exchange.getMessage().setHeader(STATUS, status);
        String where = describe(exchange);
        if (status >= 200 && status < 300) {
            calls.record(exchange, status, requestId, "ok");
            return parse(exchange.getMessage().getBody(String.class));
        }
        Duration retryAfter = retryAfter(exchange.getMessage().getHeader("Retry-After", String.class));
        if (status == 429 || status == 503) {
            calls.record(exchange, status, requestId, "retryable");
            throw new PartnerApiException(PartnerApiException.Kind.RETRYABLE, status, null, requestId, retryAfter,
                    where + " answered " + status + (retryAfter == null ? "" : ", Retry-After " + retryAfter.toSeconds() + "s")
                            + " (X-Request-Id " + requestId + ")");
        }
        if (status >= 500) {
            calls.record(exchange, status, requestId, "outcome-unknown");
            throw new PartnerApiException(PartnerApiException.Kind.OUTCOME_UNKNOWN, status, null, requestId, retryAfter,
                    where + " answered " + status + "; the call may have taken effect (X-Request-Id " + requestId + ")");
        }
        ErrorBody error = ErrorBody.parse(mapper, exchange.getMessage().getBody(String.class));
        if (status == 409) {
            // Honeybee: "conflicting with another recent request"; its guidance is to treat it as already in
            // flight and look the order up before resending, never as a final refusal
            calls.record(exchange, status, requestId, "conflict");
            throw new PartnerApiException(PartnerApiException.Kind.OUTCOME_UNKNOWN, status, error.code(), requestId, retryAfter,
                    where + " answered 409: conflicts with another recent request, which may be in flight (X-Request-Id "
                            + requestId + ")");
        }
        calls.record(exchange, status, requestId, "rejected");
        throw new PartnerApiException(PartnerApiException.Kind.REJECTED, status, error.code(), error.fields(), requestId, null,
                where + " rejected with " + status
                        + (error.code() == null ? "" : " code " + error.code() + " (" + ErrorCodes.describe(error.code()) + ")")
                        + (error.fields().isEmpty() ? "" : (error.fields().size() == 1 ? " on field " : " on fields ")
                                + String.join(", ", error.fields()))
                        + " (X-Request-Id " + requestId + ")");
    }

    /** A call that got no answer: refused connections never reached Honeybee, anything else may have. */
    public void transportFailure(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String where = describe(exchange);
        boolean notSent = failure instanceof ConnectException || failure instanceof UnknownHostException
                || (failure != null && failure.getClass().getSimpleName().equals("HttpHostConnectException"));
        String what = failure == null ? "unknown failure" : failure.getClass().getSimpleName();
        calls.record(exchange, null, null, notSent ? "not-connected" : "no-answer");
        if (notSent) {
            throw new PartnerApiException(PartnerApiException.Kind.RETRYABLE, 0, null, null, null,
                    where + " could not connect (" + what + ")");
        }
        throw new PartnerApiException(PartnerApiException.Kind.OUTCOME_UNKNOWN, 0, null, null, null,
                where + " got no answer (" + what + "); the call may have taken effect");
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return mapper.createObjectNode();
        }
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new PartnerApiException(PartnerApiException.Kind.OUTCOME_UNKNOWN, 200, null, null, null,
                    "Partner API answered with a body that is not JSON");
        }
    }

    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    private static String describe(Exchange exchange) {
        Map<String, Object> headers = exchange.getMessage().getHeaders();
        return "Partner API " + headers.get(METHOD) + " " + headers.get(PATH);
    }
}
