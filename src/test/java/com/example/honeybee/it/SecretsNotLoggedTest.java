package com.example.honeybee.it;

import static com.example.honeybee.it.RunningBundle.payload;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.example.honeybee.inbox.InboxStatus;
import org.junit.jupiter.api.Test;

/** Secrets from configuration never reach a log line: not at startup, not on accepting or refusing a webhook. */
class SecretsNotLoggedTest {

    @Test
    void configuredSecretsAppearInNoLogLine() {
        String sharedSecret = "shared-secret-value-1f2e";
        try (LogCapture logs = LogCapture.attach()) {
            try (RunningBundle bundle = RunningBundle.start(Map.of(
                    "honeybee.webhook.auth", "either", "honeybee.webhook.shared-secret", sharedSecret))) {
                byte[] body = payload("rx-received.json");
                assertThat(bundle.postSigned(body).statusCode()).isEqualTo(200);
                assertThat(bundle.post(payload("rx-updated.json"), Map.of("Content-Type", "application/json",
                        "X-Honeybee-Secret", "wrong-" + sharedSecret)).statusCode()).isEqualTo(401);
                bundle.awaitStatus(WebhookIntakeTest.eventIdOf(body), InboxStatus.PROCESSED);
            }
            assertThat(logs.text()).contains("Property-placeholders summary")
                    .doesNotContain(RunningBundle.SECRET).doesNotContain(RunningBundle.ROTATED_SECRET)
                    .doesNotContain(sharedSecret);
        }
    }
}
