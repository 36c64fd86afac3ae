package com.example.honeybee.api;

import java.time.Clock;
import java.time.Instant;

import com.example.honeybee.db.Sql;
import com.example.honeybee.observe.HoneybeeMetrics;
import com.example.honeybee.support.LogSafe;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records each Partner API call with its status and X-Request-Id, and logs it in one line. */
public class ApiCallLog {

    static final String STARTED = "HoneybeeApiStarted";
    private static final Logger LOG = LoggerFactory.getLogger(ApiCallLog.class);

    private final Sql sql;
    private final Clock clock;
    private final HoneybeeMetrics metrics;

    public ApiCallLog(Sql sql, Clock clock, HoneybeeMetrics metrics) {
        this.sql = sql;
        this.clock = clock;
        this.metrics = metrics;
    }

    public void start(Exchange exchange) {
        exchange.setProperty(STARTED, clock.millis());
    }

    public void record(Exchange exchange, Integer status, String requestId, String outcome) {
        String method = exchange.getMessage().getHeader(PartnerApi.METHOD, String.class);
        String template = exchange.getMessage().getHeader(PartnerApi.PATH, String.class);
        String path = exchange.getProperty(PartnerApi.SENT_PATH, template, String.class);
        Long started = exchange.getProperty(STARTED, Long.class);
        long duration = started == null ? 0 : clock.millis() - started;
        sql.update("INSERT INTO api_call (method, path, status, request_id, duration_ms, outcome, called_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                method, truncate(path, 300), status, truncate(requestId, 200), duration, outcome, Instant.now(clock));
        metrics.apiCall(method, template, status, outcome);
        LOG.info("partner API {} {} -> {} in {} ms (X-Request-Id={})", method, LogSafe.escape(path), status == null ? outcome : status,
                duration, LogSafe.escape(requestId));
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
