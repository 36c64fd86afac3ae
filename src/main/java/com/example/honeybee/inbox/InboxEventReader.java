package com.example.honeybee.inbox;

import java.io.IOException;
import java.util.Map;

import com.example.honeybee.support.EventDataException;
import com.example.honeybee.support.HoneybeeHeaders;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

/** Turns a claimed inbox entry into the message an event flow works on: the event's JSON as a Map, ids as headers. */
public class InboxEventReader {

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    private final ObjectMapper mapper;

    public InboxEventReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Map<String, Object> read(Exchange exchange) {
        InboxEntry entry = exchange.getMessage().getBody(InboxEntry.class);
        exchange.getMessage().setHeader(HoneybeeHeaders.EVENT_ID, entry.eventId());
        exchange.getMessage().setHeader(HoneybeeHeaders.EVENT_TYPE, entry.eventType());
        exchange.getMessage().setHeader(HoneybeeHeaders.PATIENT_ID, entry.patientId());
        try {
            return mapper.readValue(entry.body(), JSON_OBJECT);
        } catch (IOException e) {
            throw new EventDataException("stored body of event " + entry.eventId() + " is not a JSON object");
        }
    }
}
