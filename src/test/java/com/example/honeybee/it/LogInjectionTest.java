package com.example.honeybee.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.example.honeybee.inbox.InboxRepository;
import com.example.honeybee.inbox.InboxStatus;
import com.example.honeybee.webhook.WebhookEvent;
import org.junit.jupiter.api.Test;

/**
 * Log injection (issue 12 item 5). Intake refuses ids with control characters (HostileInputTest); events
 * stored before that rule, and values from Honeybee's API, are escaped wherever they reach a log line:
 * a CR/LF in an event_id or an order number never starts a line of its own.
 */
class LogInjectionTest {

    @Test
    void storedIdsWithLineBreaksAreEscapedInEveryLogLine() {
        try (RunningBundle bundle = RunningBundle.start(Map.of("honeybee.sandbox.step-ms", "600000"));
             LogCapture logs = LogCapture.attach()) {
            InboxRepository inbox = bundle.bean("honeybeeInbox", InboxRepository.class);
            // as an earlier version stored them: intake let these ids through
            String unknownId = "legacy-1\r\n2026-11-30 12:00:00 INFO FORGED unknown";
            inbox.storeOne(new WebhookEvent(unknownId, "PATIENT_UPDATED\r\nFORGED type", "p1"), "{}".getBytes(StandardCharsets.UTF_8));
            String updateId = "legacy-2\nFORGED update";
            String update = "{\"event_id\":\"legacy-2\\nFORGED update\",\"event_type\":\"RX_UPDATED\",\"patient_id\":\"p1\","
                    + "\"medication_requests\":[{\"id\":4242,\"medication_dispenses\":[{\"order_number\":\"HB9\\r\\nFORGED order\","
                    + "\"order_status\":\"Filling\"}]}]}";
            inbox.storeOne(new WebhookEvent(updateId, "RX_UPDATED", "p1"), update.getBytes(StandardCharsets.UTF_8));

            bundle.awaitStatus(unknownId, InboxStatus.UNKNOWN_TYPE);
            bundle.awaitStatus(updateId, InboxStatus.PROCESSED);

            String text = logs.text();
            assertThat(text).contains("event of unknown type kept for operators: event_id=legacy-1\\u000D\\u000A2026-11-30 12:00:00 INFO FORGED unknown"
                    + " type=PATIENT_UPDATED\\u000D\\u000AFORGED type");
            assertThat(text).contains("RX_UPDATED recorded: event_id=legacy-2\\u000AFORGED update medication_dispenses=1 medication_requests=1");
            assertThat(text.lines().filter(line -> line.contains("FORGED"))).allSatisfy(line ->
                    assertThat(line).doesNotStartWith("FORGED").doesNotStartWith("2026-11-30"));
        }
    }
}
