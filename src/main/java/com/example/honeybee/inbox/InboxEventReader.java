package com.example.honeybee.inbox;

import java.io.IOException;
import java.util.Map;

import com.example.honeybee.support.EventDataException;
import com.example.honeybee.support.HoneybeeHeaders;
import com.example.honeybee.webhook.EventType;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import org.apache.camel.Exchange;

/** Turns a claimed inbox entry into the message an event flow works on: the event's JSON as a Map, ids as headers. */
public class InboxEventReader {

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    /** Exchange property: when intake stored the event being processed (an Instant). */
    public static final String RECEIVED_AT = "HoneybeeReceivedAt";

    private final ObjectReader reader;

    public InboxEventReader(ObjectMapper mapper) {
        // decimals as BigDecimal, exactly as intake validated them (a double would round written_qty)
        this.reader = mapper.readerFor(JSON_OBJECT).with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    public Map<String, Object> read(Exchange exchange) {
        InboxEntry entry = exchange.getMessage().getBody(InboxEntry.class);
        exchange.getMessage().setHeader(HoneybeeHeaders.EVENT_ID, entry.eventId());
        // canonical: an event stored as "rx_received" before types matched case-insensitively is routed when replayed
        exchange.getMessage().setHeader(HoneybeeHeaders.EVENT_TYPE, EventType.canonical(entry.eventType()));
        exchange.getMessage().setHeader(HoneybeeHeaders.PATIENT_ID, entry.patientId());
        // for the processing timer, without reading the row again
        exchange.setProperty(RECEIVED_AT, entry.receivedAt());
        try {
            return reader.readValue(entry.body());
        } catch (IOException e) {
            throw new EventDataException("stored body of event " + entry.eventId() + " is not a JSON object");
        }
    }
}
