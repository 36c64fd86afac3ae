package com.example.honeybee.orders;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.example.honeybee.api.PartnerApi;
import com.example.honeybee.record.ExceptionRepository;
import com.example.honeybee.support.LogSafe;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers an order exception with a partner order action request. The webhook lists the allowed
 * actions as lower-case event_key values; the API takes the upper-case event. Anything Honeybee would
 * refuse (an action not offered, a refund without reason_id, an exception already answered or late) is
 * refused here, before any call.
 */
public class ExceptionActions {

    public static final String EXCEPTION_ID = "HoneybeeExceptionId";
    public static final String ACTION = "HoneybeeOrderAction";
    public static final String REFUND_REASON_ID = "HoneybeeRefundReasonId";
    public static final String ANSWERED_BY = "HoneybeeAnsweredBy";
    static final Set<String> SUPPORTED = Set.of("VERIFIED_BY_PARTNER", "CANCEL_BY_PARTNER", "PUT_ON_HOLD_BY_PARTNER",
            "REQUEST_REFUND_BY_PARTNER");
    private static final Logger LOG = LoggerFactory.getLogger(ExceptionActions.class);

    private final ExceptionRepository exceptions;
    private final ObjectMapper mapper;

    public ExceptionActions(ExceptionRepository exceptions, ObjectMapper mapper) {
        this.exceptions = exceptions;
        this.mapper = mapper;
    }

    /** Validates the requested action and prepares the API call: headers for direct:honeybee-api, JSON body. */
    public String prepare(Exchange exchange) throws Exception {
        Long exceptionId = exchange.getMessage().getHeader(EXCEPTION_ID, Long.class);
        String requested = exchange.getMessage().getHeader(ACTION, String.class);
        Integer reasonId = exchange.getMessage().getHeader(REFUND_REASON_ID, Integer.class);
        if (exceptionId == null || requested == null || requested.isBlank()) {
            throw new ActionRefusedException(400, "an action needs HoneybeeExceptionId and HoneybeeOrderAction");
        }
        ExceptionRepository.OrderException exception = exceptions.find(exceptionId)
                .orElseThrow(() -> new ActionRefusedException(404, "exception " + exceptionId + " is not known"));
        if (ExceptionRepository.LATE.equals(exception.status())) {
            throw new ActionRefusedException(409, "exception " + exceptionId + " arrived late (" + exception.resolution()
                    + "): order " + exception.orderNumber() + " has moved on and there is nothing to answer");
        }
        if (!ExceptionRepository.OPEN.equals(exception.status())) {
            throw new ActionRefusedException(409, "exception " + exceptionId + " was already answered");
        }
        String event = requested.trim().toUpperCase(Locale.ROOT);
        if (!SUPPORTED.contains(event)) {
            throw new ActionRefusedException(400, "'" + abbreviate(requested) + "' is not an order action; use one of " + SUPPORTED);
        }
        List<String> offered = exception.eventKeys().stream().map(k -> k.toUpperCase(Locale.ROOT)).toList();
        if (!offered.contains(event)) {
            throw new ActionRefusedException(422, event + " is not offered for exception " + exceptionId + "; offered: " + offered);
        }
        boolean refund = event.equals("REQUEST_REFUND_BY_PARTNER");
        if (refund && reasonId == null) {
            throw new ActionRefusedException(422, "REQUEST_REFUND_BY_PARTNER needs a reason_id (see GET refund reasons)");
        }
        if (!refund && reasonId != null) {
            throw new ActionRefusedException(422, "reason_id goes only with REQUEST_REFUND_BY_PARTNER");
        }
        exchange.getMessage().setHeader(PartnerApi.METHOD, "POST");
        exchange.getMessage().setHeader(PartnerApi.PATH, "/orders/{order_number}/partner_order_action_requests");
        exchange.getMessage().setHeader(PartnerApi.ORDER_NUMBER, exception.orderNumber());
        exchange.getMessage().setHeader(ACTION, event);
        ObjectNode body = mapper.createObjectNode().put("event", event);
        if (refund) {
            body.put("reason_id", reasonId);
        }
        return mapper.writeValueAsString(body);
    }

    /** The action was accepted by Honeybee: the exception is answered. */
    public void recorded(Exchange exchange) {
        long exceptionId = exchange.getMessage().getHeader(EXCEPTION_ID, Long.class);
        String event = exchange.getMessage().getHeader(ACTION, String.class);
        String by = exchange.getMessage().getHeader(ANSWERED_BY, "partner", String.class);
        exceptions.resolve(exceptionId, event, by);
        LOG.info("exception {} answered with {} by {} (X-Request-Id={})", exceptionId, LogSafe.escape(event), LogSafe.escape(by),
                LogSafe.escape(exchange.getMessage().getHeader(PartnerApi.REQUEST_ID)));
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    /** An action that must not be sent, with the HTTP status an API would answer. */
    public static class ActionRefusedException extends RuntimeException implements com.example.honeybee.support.Refusal {
        private final int status;

        public ActionRefusedException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
