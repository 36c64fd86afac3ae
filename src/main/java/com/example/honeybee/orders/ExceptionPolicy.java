package com.example.honeybee.orders;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.example.honeybee.record.ExceptionRepository;
import com.example.honeybee.support.HoneybeeHeaders;
import com.example.honeybee.support.LogSafe;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which order exceptions are answered automatically. The policy file (honeybee.exception.policy-file)
 * has one rule per line, {@code Exception Name = action}, where action is an event_key such as
 * {@code cancel_by_partner} or {@code operator}; names match case-insensitively; anything without a
 * rule goes to the operators. A rule fires only for an open exception that offers its action.
 */
public class ExceptionPolicy {

    public static final String OPERATOR = "operator";
    private static final Logger LOG = LoggerFactory.getLogger(ExceptionPolicy.class);

    private final Map<String, String> rules;
    private final ExceptionRepository exceptions;

    public ExceptionPolicy(Map<String, String> rules, ExceptionRepository exceptions) {
        this.rules = rules;
        this.exceptions = exceptions;
    }

    /** Reads the policy from a file path or a classpath: location; a missing optional file means no rules. */
    public static Map<String, String> load(String location) throws IOException {
        String text;
        if (location.startsWith("classpath:")) {
            try (InputStream in = ExceptionPolicy.class.getClassLoader().getResourceAsStream(location.substring("classpath:".length()))) {
                if (in == null) {
                    return Map.of();
                }
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } else if (Files.exists(Path.of(location))) {
            text = Files.readString(Path.of(location), StandardCharsets.UTF_8);
        } else {
            return Map.of();
        }
        Map<String, String> rules = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int equals = line.lastIndexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("exception policy " + location + " line " + (i + 1) + ": expected 'Exception Name = action'");
            }
            String action = line.substring(equals + 1).trim().toLowerCase(Locale.ROOT);
            if (!action.equals(OPERATOR) && !ExceptionActions.SUPPORTED.contains(action.toUpperCase(Locale.ROOT))) {
                throw new IllegalArgumentException("exception policy " + location + " line " + (i + 1) + ": unknown action '" + action + "'");
            }
            if (action.equals("request_refund_by_partner")) {
                throw new IllegalArgumentException("exception policy " + location + " line " + (i + 1)
                        + ": refunds need a reason and are left to operators");
            }
            rules.put(line.substring(0, equals).trim().toLowerCase(Locale.ROOT), action);
        }
        return rules;
    }

    /**
     * Route step after an exception is recorded: when a rule answers it, sets the order-action headers
     * (the rule named as who answered) and answers true.
     */
    public boolean decide(Exchange exchange) {
        Map<?, ?> event = exchange.getMessage().getBody(Map.class);
        Object exceptionNode = event == null ? null : event.get("exception");
        if (!(exceptionNode instanceof Map<?, ?> exception) || !(exception.get("id") instanceof Number id)) {
            return false;
        }
        Optional<ExceptionRepository.OrderException> recorded = exceptions.find(id.longValue());
        // only an open exception: an answered one is done, a late one (its order moved on) is never acted on
        if (recorded.isEmpty() || !ExceptionRepository.OPEN.equals(recorded.get().status())) {
            return false;
        }
        String name = recorded.get().name();
        String action = rules.getOrDefault(name.toLowerCase(Locale.ROOT), OPERATOR);
        if (action.equals(OPERATOR)) {
            LOG.info("exception {} '{}' on order {} waits for an operator", id, LogSafe.escape(name), LogSafe.escape(recorded.get().orderNumber()));
            return false;
        }
        if (!recorded.get().eventKeys().contains(action)) {
            LOG.warn("exception {} '{}': the policy says {}, which Honeybee does not offer here; left to operators", id, LogSafe.escape(name), action);
            return false;
        }
        exchange.getMessage().setHeader(ExceptionActions.EXCEPTION_ID, id.longValue());
        exchange.getMessage().setHeader(ExceptionActions.ACTION, action);
        exchange.getMessage().setHeader(ExceptionActions.ANSWERED_BY, "policy rule '" + name + " = " + action + "'");
        exchange.getMessage().removeHeader(ExceptionActions.REFUND_REASON_ID);
        LOG.info("exception {} '{}' answered automatically with {} (event_id={})", id, LogSafe.escape(name), action,
                LogSafe.escape(exchange.getMessage().getHeader(HoneybeeHeaders.EVENT_ID)));
        return true;
    }
}
