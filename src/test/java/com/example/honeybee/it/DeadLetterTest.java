package com.example.honeybee.it;

import static com.example.honeybee.it.RunningBundle.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import com.example.honeybee.inbox.DeadLetter;
import com.example.honeybee.inbox.DeadLetterStore;
import com.example.honeybee.inbox.InboxStatus;
import com.example.honeybee.support.HoneybeeHeaders;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A failing event is retried, parked with its reason, and processed once replayed. */
class DeadLetterTest {

    private RunningBundle bundle;

    @BeforeEach
    void start() {
        bundle = RunningBundle.start(Map.of("honeybee.retry.max-redeliveries", "2"));
    }

    @AfterEach
    void stop() {
        bundle.close();
    }

    @Test
    void failingEventIsRetriedParkedWithAReasonAndProcessedAfterReplay() {
        // the exception table is unavailable: every attempt to record the event fails
        bundle.sql().update("ALTER TABLE order_exception RENAME TO order_exception_away");
        byte[] body = payload("order-exception.json");
        String eventId = WebhookIntakeTest.eventIdOf(body);

        assertThat(bundle.postSigned(body).statusCode()).isEqualTo(200);

        bundle.awaitStatus(eventId, InboxStatus.DEAD);
        DeadLetterStore deadLetters = bundle.context().getRegistry().lookupByNameAndType("honeybeeDeadLetters", DeadLetterStore.class);
        List<DeadLetter> parked = deadLetters.forRef(DeadLetterStore.SOURCE_INBOX, eventId);
        assertThat(parked).hasSize(1);
        assertThat(parked.get(0).reason()).startsWith("failed after 3 attempts: ").contains("SQLState").contains("INSERT INTO order_exception")
                .doesNotContain("State Invalid").doesNotContain("ay87nt");

        bundle.sql().update("ALTER TABLE order_exception_away RENAME TO order_exception");
        bundle.context().createProducerTemplate()
                .sendBodyAndHeader("direct:honeybee-replay-dead-letter", null, HoneybeeHeaders.DEAD_LETTER_ID, parked.get(0).id());

        bundle.awaitStatus(eventId, InboxStatus.PROCESSED);
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM order_exception WHERE exception_id = 67")).isEqualTo(1);
        assertThat(deadLetters.find(parked.get(0).id()).orElseThrow().replayedAt()).isNotNull();
        assertThat(deadLetters.open()).isEmpty();
    }

    @Test
    void replayingTwiceOrAnUnknownDeadLetterIsRefused() {
        var template = bundle.context().createProducerTemplate();
        assertThatThrownBy(() -> template.sendBodyAndHeader("direct:honeybee-replay-dead-letter", null,
                HoneybeeHeaders.DEAD_LETTER_ID, 4242L))
                .isInstanceOf(CamelExecutionException.class)
                .hasRootCauseInstanceOf(DeadLetterStore.ReplayRefusedException.class)
                .rootCause().hasMessage("dead letter 4242 does not exist");
    }
}
