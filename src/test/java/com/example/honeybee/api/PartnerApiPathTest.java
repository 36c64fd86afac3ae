package com.example.honeybee.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * Ids from webhooks fill the Partner API's path templates as single, percent-encoded segments: whatever
 * an id holds, the request goes to the template's endpoint. Expected encodings are written by hand from
 * RFC 3986's unreserved set.
 */
class PartnerApiPathTest {

    /** Ids that would change the endpoint if copied as they are. */
    private static final List<String> HOSTILE = List.of("HB1002/partner_order_action_requests?x=", "../orders", "EHR%413004",
            "EHR?3006", "a b#c", "x;y=z", "é€😀", "%2e%2e", "..x", "\r\nX-Injected: 1", "\u0000", "HB1000");

    @Test
    void idsAreEncodedByHandComputedRules() {
        assertThat(PartnerApiPath.encode("HB1002/partner_order_action_requests?x=")).isEqualTo("HB1002%2Fpartner_order_action_requests%3Fx%3D");
        assertThat(PartnerApiPath.encode("EHR%413004")).isEqualTo("EHR%25413004");
        assertThat(PartnerApiPath.encode("a b#c")).isEqualTo("a%20b%23c");
        assertThat(PartnerApiPath.encode("é")).isEqualTo("%C3%A9");
        assertThat(PartnerApiPath.encode("Az09-._~")).isEqualTo("Az09-._~");
    }

    @Test
    void everyTemplateKeepsItsSegmentsWhateverTheIdHolds() {
        for (String template : PartnerApiPath.TEMPLATES) {
            for (String id : HOSTILE) {
                Exchange exchange = exchange(template, id);
                String path = PartnerApiPath.path(exchange);
                String[] expected = template.split("/", -1);
                String[] sent = path.split("/", -1);
                assertThat(sent).as("%s with %s", template, id).hasSameSizeAs(expected);
                for (int i = 0; i < expected.length; i++) {
                    String decoded = URI.create("http://h/" + sent[i]).getPath().substring(1);
                    assertThat(decoded).as("segment %d of %s with %s", i, template, id)
                            .isEqualTo(expected[i].startsWith("{") ? id : expected[i]);
                }
                assertThat(path).doesNotContain("?", "#", "\r", "\n", " ");
            }
        }
    }

    @Test
    void theQueryValueIsEncodedToo() {
        Exchange exchange = exchange("/orders", "p1&status=Shipped");
        exchange.getMessage().setHeader(PartnerApi.QUERY, "patient_id={patient_id}");
        assertThat(PartnerApiPath.query(exchange)).isEqualTo("patient_id=p1%26status%3DShipped");
    }

    @Test
    void dotSegmentsMissingIdsAndUnknownTemplatesAreRefused() {
        assertThatThrownBy(() -> PartnerApiPath.path(exchange("/patients/{patient_id}", ".."))).hasMessageContaining("dot segment");
        assertThatThrownBy(() -> PartnerApiPath.path(exchange("/patients/{patient_id}", ""))).hasMessageContaining("without patient_id");
        assertThatThrownBy(() -> PartnerApiPath.path(exchange("/patients/P1", "x"))).hasMessageContaining("not a Partner API path template");
    }

    private static Exchange exchange(String template, String id) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(PartnerApi.PATH, template);
        exchange.getMessage().setHeader(PartnerApi.ORDER_NUMBER, id);
        exchange.getMessage().setHeader("HoneybeePatientId", id);
        return exchange;
    }
}
