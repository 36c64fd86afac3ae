package com.example.honeybee.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.example.honeybee.api.PartnerApiException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.ToDefinition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Partner API route's token handling, with the token endpoint and the Partner API replaced by mock
 * endpoints: a 401 drops the token the call carried, fetches a new one and repeats the call exactly once;
 * a second 401 is the caller's failure, not a loop. Headers of the caller's exchange never reach Honeybee.
 */
class PartnerApiRouteTest extends BundleRouteTestSupport {

    private final AtomicInteger tokensIssued = new AtomicInteger();

    @Override
    protected Map<String, String> settings() {
        return Map.of("honeybee.inbox.dispatch-enabled", "false",
                "honeybee.oauth.client-id", "route-test-client", "honeybee.oauth.client-secret", "route-test-client-secret",
                "honeybee.api.url", "http://partner-api.invalid/v1");
    }

    @BeforeEach
    void adviseEndpoints() throws Exception {
        AdviceWith.adviceWith(context, "honeybee-oauth-token",
                a -> a.weaveByType(ToDefinition.class).selectFirst().replace().to("mock:token-endpoint"));
        AdviceWith.adviceWith(context, "honeybee-partner-api-attempt",
                a -> a.weaveById("call-partner-api").replace().to("mock:partner-api"));
        getMockEndpoint("mock:token-endpoint").whenAnyExchangeReceived(exchange -> {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            exchange.getMessage().setBody("{\"access_token\":\"token-" + tokensIssued.incrementAndGet()
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":43200}");
        });
        startBundle();
    }

    @Test
    void aRefusedTokenIsReplacedAndTheCallRepeatedOnce() throws Exception {
        MockEndpoint api = getMockEndpoint("mock:partner-api");
        api.whenExchangeReceived(1, exchange -> answer(exchange, 401, "{\"error\":\"invalid_token\"}"));
        api.whenExchangeReceived(2, exchange -> answer(exchange, 200, "{\"order_number\":\"HB1000\"}"));
        api.expectedMessageCount(2);
        api.message(0).header("Authorization").isEqualTo("Bearer token-1");
        api.message(1).header("Authorization").isEqualTo("Bearer token-2");
        api.allMessages().header(Exchange.HTTP_PATH).isEqualTo("/orders");
        api.allMessages().header("X-Forwarded-For").isNull();
        api.allMessages().header("Cookie").isNull();
        getMockEndpoint("mock:token-endpoint").expectedMessageCount(2);

        Object answer = template.requestBodyAndHeaders("direct:honeybee-api", "{\"prescription_id\":300001}", Map.of(
                "HoneybeeApiMethod", "POST", "HoneybeeApiPath", "/orders",
                "X-Forwarded-For", "203.0.113.5", "Cookie", "session=caller"));

        MockEndpoint.assertIsSatisfied(context);
        assertThat(answer.toString()).contains("HB1000");
        assertThat(api.getReceivedExchanges().get(1).getMessage().getBody(String.class)).isEqualTo("{\"prescription_id\":300001}");
    }

    @Test
    void aSecond401IsTheCallersFailureAfterOneRepeat() throws Exception {
        MockEndpoint api = getMockEndpoint("mock:partner-api");
        api.whenAnyExchangeReceived(exchange -> answer(exchange, 401, "{\"error\":\"invalid_token\"}"));
        api.expectedMessageCount(2);

        Throwable failure = catchThrowable(() -> template.requestBodyAndHeaders("direct:honeybee-api", "{}",
                Map.of("HoneybeeApiMethod", "GET", "HoneybeeApiPath", "/shipping_methods")));

        api.assertIsSatisfied();
        assertThat(failure).isInstanceOf(CamelExecutionException.class).cause().isInstanceOf(PartnerApiException.class)
                .hasMessageContaining("401");
        assertThat(((PartnerApiException) failure.getCause()).kind()).isEqualTo(PartnerApiException.Kind.REJECTED);
    }

    private static void answer(Exchange exchange, int status, String body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader("X-Request-Id", "req-" + status);
        exchange.getMessage().setBody(body);
    }
}
