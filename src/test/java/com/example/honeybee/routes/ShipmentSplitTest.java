package com.example.honeybee.routes;

import java.util.List;
import java.util.Map;

import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/**
 * SHIPMENT_UPDATED as a splitter: one event may carry several medication_requests, and each becomes its
 * own message to the dispense recorder, in order, carrying its own prescription_id.
 */
class ShipmentSplitTest extends BundleRouteTestSupport {

    @Override
    protected Map<String, String> settings() {
        return Map.of("honeybee.inbox.dispatch-enabled", "false");
    }

    @Test
    void eachMedicationRequestIsRecordedOnItsOwnWithItsPrescriptionId() throws Exception {
        AdviceWith.adviceWith(context, "honeybee-shipment-updated",
                a -> a.weaveByToUri("direct:honeybee-record-dispenses").replace().to("mock:dispenses"));
        startBundle();
        MockEndpoint dispenses = getMockEndpoint("mock:dispenses");
        dispenses.expectedMessageCount(3);
        dispenses.expectedHeaderValuesReceivedInAnyOrder("HoneybeePrescriptionId", 300001L, 300002L, 183601L);
        dispenses.message(0).header("HoneybeePrescriptionId").isEqualTo(300001L);
        dispenses.message(2).header("HoneybeePrescriptionId").isEqualTo(183601L);

        template.sendBody("direct:honeybee-shipment-updated", Map.of("medication_requests", List.of(
                Map.of("prescription_id", 300001, "medication_dispenses", List.of()),
                Map.of("prescription_id", 300002, "medication_dispenses", List.of()),
                Map.of("id", 183601, "medication_dispenses", List.of()))));

        dispenses.assertIsSatisfied();
    }
}
