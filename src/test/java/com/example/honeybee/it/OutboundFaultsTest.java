package com.example.honeybee.it;

import static com.example.honeybee.it.Lifecycle.HONEE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import com.example.honeybee.api.OAuthTokens;
import com.example.honeybee.inbox.DeadLetter;
import com.example.honeybee.inbox.DeadLetterStore;
import com.example.honeybee.orders.Fill;
import com.example.honeybee.orders.FillStatus;
import com.example.honeybee.orders.OrderPlacement;
import com.example.honeybee.patients.PartnerPatient;
import com.example.honeybee.sandbox.SandboxFault;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** Partner API failures against the sandbox's fault knobs: every fill ends in exactly one order, or a dead letter. */
class OutboundFaultsTest extends SandboxBundleTestSupport {


    @Override
    protected void start(Map<String, String> overrides) {
        super.start(overrides);
        life.partnerPatient(HONEE);
    }


    /** Starts a bundle whose sandbox answers the first POST /orders calls with these faults, requests a fill, awaits it placed. */
    private Fill placedDespite(SandboxFault... faults) {
        start(Map.of());
        life.sandbox().faults().script(faults);
        long rx = life.prescribe(HONEE);
        life.requestFill(rx);
        return life.awaitFill(rx, 1, FillStatus.PLACED);
    }

    @Test
    void tokenIsFetchedOnceSharedByCallsAndRefreshedOnceAfterA401() {
        start(Map.of());
        var template = bundle.context().createProducerTemplate();
        assertThat(life.sandbox().tokensIssued()).isEqualTo(1);

        template.requestBody("direct:honeybee-verify-shipping-method", (Object) null);
        template.requestBody("direct:honeybee-verify-shipping-method", (Object) null);
        assertThat(life.sandbox().tokensIssued()).as("cached").isEqualTo(1);

        life.sandbox().revokeTokens();
        template.requestBody("direct:honeybee-verify-shipping-method", (Object) null);

        assertThat(life.sandbox().tokensIssued()).as("refreshed once after the 401").isEqualTo(2);
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM api_call WHERE path = '/shipping_methods' AND status = 200")).isEqualTo(4);
    }

    @Test
    void aThirtySecondTokenIsReusedAcrossCallsInsteadOfFetchedForEachOne() {
        start(Map.of("honeybee.sandbox.token-ttl-seconds", "30"));
        var template = bundle.context().createProducerTemplate();
        int before = life.sandbox().tokensIssued();

        for (int i = 0; i < 5; i++) {
            template.requestBody("direct:honeybee-verify-shipping-method", (Object) null);
        }

        assertThat(life.sandbox().tokensIssued()).as("token requests at the sandbox").isEqualTo(before).isEqualTo(1);
    }

    @Test
    void a401DropsOnlyTheTokenThatCallCarriedNotANewerOne() {
        start(Map.of());
        var template = bundle.context().createProducerTemplate();
        OAuthTokens tokens = bundle.bean("honeybeeOAuthTokens", OAuthTokens.class);
        // a call that took the first token and will get its 401 only after another call refreshed it
        Exchange slowCall = new DefaultExchange(bundle.context());
        tokens.authorizationHeader(slowCall);
        life.sandbox().revokeTokens();
        template.requestBody("direct:honeybee-verify-shipping-method", (Object) null);
        assertThat(life.sandbox().tokensIssued()).isEqualTo(2);

        tokens.invalidate(slowCall);
        template.requestBody("direct:honeybee-verify-shipping-method", (Object) null);

        assertThat(life.sandbox().tokensIssued()).as("the newer token survived the late 401").isEqualTo(2);
    }

    @Test
    void aTwentySecondBurstOf429DoesNotParkTheFill() {
        // backoff capped at 2 s, so the burst costs more attempts than the ten the old budget allowed
        start(Map.of("honeybee.outbox.retry-max-ms", "2000"));
        long rx = life.prescribe(HONEE);
        life.sandbox().faults().retryAfterSeconds(1).rateLimitFor(Duration.ofSeconds(20));

        life.requestFill(rx);
        await().atMost(Duration.ofSeconds(60)).until(() -> life.fill(rx, 1).filter(f -> f.status() == FillStatus.PLACED).isPresent());

        Fill placed = life.fill(rx, 1).orElseThrow();
        assertThat(placed.attempts()).as("more attempts than the old budget of ten").isGreaterThan(10);
        assertThat(life.sandbox().orderNumbersFor(rx)).containsExactly(placed.orderNumber());
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM dead_letter")).isZero();
        List<java.time.OffsetDateTime> posts = bundle.sql().query("SELECT called_at FROM api_call WHERE method = 'POST'"
                + " AND path = '/orders' ORDER BY id", r -> r.getObject(1, java.time.OffsetDateTime.class));
        for (int i = 1; i < posts.size(); i++) {
            assertThat(Duration.between(posts.get(i - 1), posts.get(i))).as("Retry-After honoured before POST %d", i + 1)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(950));
        }
    }

    @Test
    void aFillStillFailingWhenItsRetryWindowEndsIsParkedNamingTheWindow() {
        start(Map.of("honeybee.outbox.retry-window", "2s", "honeybee.outbox.retry-max-ms", "500"));
        long rx = life.prescribe(HONEE);
        life.sandbox().faults().retryAfterSeconds(1).rateLimitFor(Duration.ofSeconds(30));

        life.requestFill(rx);
        Fill dead = life.awaitFill(rx, 1, FillStatus.DEAD);

        assertThat(dead.lastError()).startsWith("gave up after " + dead.attempts() + " attempts over the retry window of 2s; last: ")
                .contains("answered 429");
        assertThat(life.sandbox().orderCount()).isZero();
    }

    @Test
    void unprocessableOrderIsDeadLetteredWithTheDecodedCodeAndNotRetried() {
        start(Map.of());
        PartnerPatient badState = new PartnerPatient("P-9", "EHR-9", "nine@example.com", "Nine", "Patient", LocalDate.of(1980, 1, 2),
                "5550000000", "9 Ninth St", null, "Nowhere", "ZZ", "00009", true);
        life.partnerPatient(badState);
        long rx = life.prescribe(badState);

        life.requestFill(rx);
        Fill dead = life.awaitFill(rx, 1, FillStatus.DEAD);

        assertThat(dead.errorCode()).isEqualTo("42226");
        assertThat(dead.attempts()).isEqualTo(1);
        assertThat(life.sandbox().orderPosts()).isEqualTo(1);
        List<DeadLetter> letters = bundle.bean("honeybeeDeadLetters", DeadLetterStore.class).forRef(OrderPlacement.SOURCE_OUTBOX, String.valueOf(dead.id()));
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).errorCode()).isEqualTo("42226");
        assertThat(letters.get(0).reason()).contains("rejected with 422 code 42226 (invalid address state abbreviation) on field address.state")
                .doesNotContain("Nowhere").doesNotContain("9 Ninth St").doesNotContain("ZZ").doesNotContain("invalid address\"");
    }

    @Test
    void a409WhileTheSameOrderIsInFlightIsReconciledIntoExactlyOneOrder() {
        Fill placed = placedDespite(SandboxFault.CONFLICT_IN_FLIGHT);
        long rx = placed.prescriptionId();

        assertThat(life.sandbox().orderPosts()).as("no second POST once GET /orders found it").isEqualTo(1);
        assertThat(life.sandbox().orderNumbersFor(rx)).containsExactly(placed.orderNumber());
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM api_call WHERE method = 'POST' AND path = '/orders' AND status = 409"
                + " AND outcome = 'conflict'")).isEqualTo(1);
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM api_call WHERE method = 'GET' AND path = '/orders'")).isEqualTo(1);
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM dead_letter")).isZero();
    }

    @Test
    void a409WithNoOrderBehindItIsRetriedWithBackoffNotParked() {
        Fill placed = placedDespite(SandboxFault.CONFLICT, SandboxFault.CONFLICT);
        long rx = placed.prescriptionId();

        assertThat(life.sandbox().orderPosts()).isEqualTo(3);
        assertThat(placed.attempts()).isEqualTo(3);
        assertThat(life.sandbox().orderNumbersFor(rx)).containsExactly(placed.orderNumber());
        // each 409 is looked up before the next POST: GET /orders found nothing twice
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM api_call WHERE method = 'GET' AND path = '/orders'")).isEqualTo(2);
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM dead_letter")).isZero();
    }

    @Test
    void rateLimitAndServerErrorsEndInExactlyOneOrder() {
        Fill placed = placedDespite(SandboxFault.TOO_MANY_REQUESTS, SandboxFault.SERVER_ERROR, SandboxFault.UNAVAILABLE,
                SandboxFault.BAD_GATEWAY);
        long rx = placed.prescriptionId();

        assertThat(life.sandbox().orderPosts()).isEqualTo(5);
        assertThat(placed.attempts()).isEqualTo(5);
        assertThat(life.sandbox().orderNumbersFor(rx)).containsExactly(placed.orderNumber());
        // once an outcome was unknown (the 500), every later POST is preceded by GET /orders: after the
        // 500, after the 503 (the 500'd order could still surface) and after the 502
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM api_call WHERE method = 'GET' AND path = '/orders'")).isEqualTo(3);
        // Retry-After (1 s) was honoured between the 429 and the next POST
        List<java.time.OffsetDateTime> posts = bundle.sql().query(
                "SELECT called_at FROM api_call WHERE method = 'POST' AND path = '/orders' ORDER BY id", r -> r.getObject(1, java.time.OffsetDateTime.class));
        assertThat(java.time.Duration.between(posts.get(0), posts.get(1))).isGreaterThanOrEqualTo(java.time.Duration.ofMillis(900));
    }

    @Test
    void timeoutAfterTheOrderWasCreatedIsReconciledIntoTheSameSingleOrder() {
        start(Map.of("honeybee.api.timeout-ms", "1000", "honeybee.sandbox.fault.timeout-delay-ms", "2500"));
        life.sandbox().faults().script(SandboxFault.TIMEOUT_AFTER_CREATE);
        long rx = life.prescribe(HONEE);

        life.requestFill(rx);
        Fill placed = life.awaitFill(rx, 1, FillStatus.PLACED);

        assertThat(life.sandbox().orderPosts()).isEqualTo(1);
        assertThat(life.sandbox().orderNumbersFor(rx)).containsExactly(placed.orderNumber());
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM api_call WHERE method = 'POST' AND path = '/orders' AND outcome = 'no-answer'"))
                .isEqualTo(1);
    }

    @Test
    void aFillWhoseWorkerDiedAfterItsPostIsReconciledInsteadOfPostedAgain() {
        start(Map.of());
        long rx = life.prescribe(HONEE);
        life.requestFill(rx);
        String orderNumber = life.awaitFill(rx, 1, FillStatus.PLACED).orderNumber();

        // what a worker killed between POST /orders and recording its answer leaves behind: the order
        // exists at Honeybee, the fill is still pending under that worker's (now expired) claim
        Instant past = Instant.now().minusSeconds(1);
        bundle.sql().update("DELETE FROM rx_order_item WHERE order_number = ?", orderNumber);
        bundle.sql().update("DELETE FROM rx_order WHERE order_number = ?", orderNumber);
        assertThat(bundle.sql().update("UPDATE fill_request SET status = 'PENDING', order_number = NULL, locked_by = 'dead-worker',"
                + " locked_until = ?, next_attempt_at = ? WHERE prescription_id = ?", past, past, rx)).isEqualTo(1);

        await().atMost(Duration.ofSeconds(30)).until(() -> life.fill(rx, 1).filter(f -> f.status() == FillStatus.PLACED).isPresent());

        assertThat(life.fill(rx, 1).orElseThrow().orderNumber()).isEqualTo(orderNumber);
        assertThat(life.sandbox().orderPosts()).as("no second POST /orders").isEqualTo(1);
        assertThat(life.sandbox().orderNumbersFor(rx)).containsExactly(orderNumber);
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM api_call WHERE method = 'GET' AND path = '/orders'")).isEqualTo(1);
        assertThat(bundle.sql().count("SELECT COUNT(*) FROM rx_order WHERE order_number = ?", orderNumber)).isEqualTo(1);
    }
}
